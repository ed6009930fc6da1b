from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yusuan.web"
    label = "web"
    verbose_name = "预算公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from yusuan.web import fulltext  # noqa: F401 - connects the search index's post_save receiver
