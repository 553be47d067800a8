from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "CQC inspections"

    def ready(self):
        from inspections.changes.version import connect_signals

        connect_signals()
