#!/usr/bin/env python3
import os
import sys

if sys.version_info < (3, 11):  # noqa: UP036 (a clear message on an older python3)
    sys.exit(f"Telescope Newsroom needs Python 3.11 or newer; this is {sys.version.split()[0]}.")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
