"""Django's flush, allowed to empty the append-only tables (the audit trail, the ranking snapshots).

SQLite has no TRUNCATE: flush (which Django's transactional tests call between tests) empties tables with DELETE, and
the audit table's trigger refuses DELETE unless contest_audit_maintenance holds a row. This command writes that row
and removes it again inside the flush's own transaction, so no other writer ever sees it. PostgreSQL's flush uses
TRUNCATE, which the row triggers do not see; the ranking snapshots' TRUNCATE trigger (jury 0008) lets it through only
when the transaction-local setting slz.flush is "on", which this command sets around Django's flush.
"""

from django.core.management.commands import flush
from django.db import connections, transaction


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor == "postgresql":
            with transaction.atomic(using=connection.alias):
                with connection.cursor() as cursor:
                    # is_local: the setting ends with this transaction, so no other statement ever sees it.
                    cursor.execute("SELECT set_config('slz.flush', 'on', true)")
                return super().handle(**options)
        # Without the table (contest not migrated yet) there is no trigger either.
        if connection.vendor != "sqlite" or "contest_audit_maintenance" not in connection.introspection.table_names():
            return super().handle(**options)
        if options["interactive"]:
            confirm = input(
                f'This will IRREVERSIBLY DESTROY all data in the "{connection.settings_dict["NAME"]}" database, '
                "the audit trail included.\nType 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return None
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO contest_audit_maintenance (reason) VALUES ('flush')")
                result = super().handle(**{**options, "interactive": False})
                cursor.execute("DELETE FROM contest_audit_maintenance")
        return result
