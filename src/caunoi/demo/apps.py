from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "caunoi.demo"
    label = "demo"
    verbose_name = "Demo"
