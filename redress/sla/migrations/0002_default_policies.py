from django.db import migrations

from redress.sla.defaults import install_defaults


def create_defaults(apps, schema_editor):
    install_defaults(
        apps.get_model("sla", "BusinessCalendar"), apps.get_model("sla", "WorkingHours"),
        apps.get_model("sla", "SlaPolicy"),
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
