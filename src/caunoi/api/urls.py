"""Mounted by the project at /api/v1/: `path("api/v1/", include("caunoi.api.urls"))`."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
