"""The API's one page size: ?page=N, settings.PAGE_SIZE items a page, for every router; and
the integers and text the database can hold, for every router's inputs."""

from typing import Annotated

from django.conf import settings
from ninja import Field
from ninja.pagination import PageNumberPagination

from ocop.forms import DB_INT_MAX, DB_INT_MIN

# Any id, code or number a request carries is bound to the database's 64-bit integers: a
# larger one would reach SQLite or PostgreSQL and fail there (500), not be refused (422).
DbInt = Annotated[int, Field(ge=DB_INT_MIN, le=DB_INT_MAX)]
# Text without NUL characters, which PostgreSQL cannot store or compare (Django's forms
# refuse them too: ProhibitNullCharactersValidator).
DbText = Annotated[str, Field(pattern=r"^[^\x00]*$")]


class Pagination(PageNumberPagination):
    class Input(PageNumberPagination.Input):
        # The page's offset must fit the database's integers too.
        page: int = Field(1, ge=1, le=2**31 - 1)

    page_size = settings.PAGE_SIZE
