"""Fill an idempotent, realistic demo: editions, accounts, applications, the jury and the published results."""
import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app contributes its part of the demo, in this order; later parts build on earlier ones.
DEMO_MODULES = ["contest.demo", "applications.demo", "jury.demo", "results.demo"]


class Command(BaseCommand):
    help = "Create demo data (accounts organiser@example.com, juror1@example.com…, applicant1@example.com…)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo")
        parser.add_argument("--applications", type=int, default=None, help="number of applications to create")
        parser.add_argument("--jurors", type=int, default=None, help="number of jurors to create")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo refuses to run with DEBUG off; pass --force if you really mean it.")
        context = {}
        with transaction.atomic():
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name != module_name:
                        raise
                    continue
                result = module.seed(
                    password=options["password"],
                    applications=options["applications"],
                    jurors=options["jurors"],
                    stdout=self.stdout,
                    **{k: v for k, v in context.items() if k in getattr(module, "SEED_CONTEXT", ())},
                )
                context.update(result or {})
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Log in as organiser@example.com with the demo password.")
        )
