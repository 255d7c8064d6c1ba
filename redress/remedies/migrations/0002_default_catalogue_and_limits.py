from django.db import migrations

from redress.remedies.defaults import install_defaults


def create_defaults(apps, schema_editor):
    install_defaults(apps.get_model("remedies", "RemedyOption"),
                     apps.get_model("remedies", "AuthorityLimit"))


class Migration(migrations.Migration):
    dependencies = [("remedies", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
