"""The API's one page size: ?page=N, settings.PAGE_SIZE items a page, for every router."""

from django.conf import settings
from ninja.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    class Input(PageNumberPagination.Input):
        pass

    page_size = settings.PAGE_SIZE
