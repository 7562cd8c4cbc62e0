"""App config for editions, public pages and the audit trail."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Competition")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import setup_cache
        from .models import AttachmentRequirement, Category, Criterion, Edition

        # Cache invalidation, not domain work: every write of the public set-up, wherever it comes from.
        for model in (Edition, Category, Criterion, AttachmentRequirement):
            receiver = setup_cache.bump_on_commit
            post_save.connect(receiver, sender=model, dispatch_uid=f"setup_cache_save_{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"setup_cache_delete_{model.__name__}")
