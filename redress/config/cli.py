"""The `redress` console script: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redress.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "redress"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
