from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ocop.geo"
