"""Create (or update) a data editor: a staff account in the Editors group."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS_GROUP = "Editors"


class Command(BaseCommand):
    help = "Create a data editor who can sign in to /admin/ and change trusts, inspections, ratings and findings."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Read the password from this environment variable instead of prompting.",
        )

    def handle(self, *args, username, email, password_from_env, **options):
        password = self._password(password_from_env)
        user_model = get_user_model()
        try:
            validate_password(password, user_model(username=username, email=email))
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        with transaction.atomic():
            group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
            group.permissions.set(Permission.objects.filter(content_type__app_label="inspections"))
            user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor {username!r}; sign in at /admin/."))

    def _password(self, variable):
        if variable:
            value = os.environ.get(variable, "")
            if not value:
                raise CommandError(f"Environment variable {variable} is empty or not set.")
            return value
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for a password on. Put the password in an environment variable and name it: "
                "EDITOR_PASSWORD=... manage.py create_editor NAME --password-from-env EDITOR_PASSWORD"
            )
        try:
            first = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except EOFError:
            raise CommandError("No password given (the input ended); nothing was changed.") from None
        if first != again:
            raise CommandError("The two passwords differ.")
        return first
