"""Codes the whole site shares (DATA.md): key questions, levels, kinds and origins.

The rating scale and how each rating looks are in `rating_levels`.
"""

from functools import cache

from django.db import models


class KeyQuestion(models.TextChoices):
    OVERALL = "overall", "Overall"
    SAFE = "safe", "Safe"
    EFFECTIVE = "effective", "Effective"
    CARING = "caring", "Caring"
    RESPONSIVE = "responsive", "Responsive"
    WELL_LED = "well_led", "Well-led"
    # Rated for a whole NHS trust only (CQC's data: currentRatings.overall.useOfResources):
    USE_OF_RESOURCES = "use_of_resources", "Use of resources"
    COMBINED = "combined_quality_and_resources", "Combined quality and use of resources"


#: The five key questions and the overall rating that combines them: what every level can be rated on.
QUALITY_QUESTIONS = ("overall", "safe", "effective", "caring", "responsive", "well_led")
#: Rated for a whole NHS trust only, after Well-led.
RESOURCE_QUESTIONS = ("use_of_resources", "combined_quality_and_resources")


class Scope(models.TextChoices):
    TRUST = "trust", "Whole trust"
    SERVICE = "service", "Core service"
    LOCATION = "location", "Location"


class TrustKind(models.TextChoices):
    MENTAL_HEALTH_COMMUNITY = "mental_health_community", "Mental health and community trust"
    ACUTE = "acute", "Acute hospital trust"
    MENTAL_HEALTH = "mental_health", "Mental health trust"
    COMMUNITY = "community", "Community health trust"
    AMBULANCE = "ambulance", "Ambulance trust"
    OTHER = "other", "Other NHS trust"


class Origin(models.TextChoices):
    """Where a record came from. Curated records (fixtures and admin edits) are never overwritten by an import."""

    CURATED = "curated", "Curated (fixtures or editors)"
    CQC_API = "cqc_api", "Imported from CQC's public data"


class SourceKind(models.TextChoices):
    """What kind of publication a source is, in the plain words readers see (explained on /sources/)."""

    CQC_REPORT = "cqc_report", "CQC's inspection report"
    CQC_NEWS = "cqc_news", "a CQC press release"
    CQC_WEB = "cqc_web", "a CQC web page"
    CQC_DATA = "cqc_data", "CQC's published ratings data"
    TRUST = "trust", "the trust's own publication"
    NATIONAL_NEWS = "national_news", "a national news outlet"
    LOCAL_NEWS = "local_news", "a local newspaper or news site"
    TRADE_PRESS = "trade_press", "a health-service trade publication"
    SUMMARY_SITE = "summary_site", "a summary website"
    REWORDED_COPY = "reworded_copy", "a reworded copy of a news story"
    COUNCIL = "council", "a council or public body document"
    OTHER = "other", "another publication"


class InspectionType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "Comprehensive"
    CORE_SERVICES = "core_services", "Core services"
    FOCUSED = "focused", "Focused"
    WELL_LED = "well_led", "Core services and well-led"
    FOLLOW_UP = "follow_up", "Follow-up of enforcement"
    OUTCOMES = "outcomes", "Outcomes (pre-2014 model, unrated)"
    NOT_GIVEN = "not_given", "Type not given in CQC's data"
    NOT_STATED = "not_stated", "Type not settled in our sources (see the scope)"


class VisitNotice(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    SHORT_NOTICE = "short_notice", "Short-notice announced"
    UNANNOUNCED = "unannounced", "Unannounced"
    NOT_STATED = "not_stated", "Not stated"


class PassageKind(models.TextChoices):
    """Whether a citation's passage is the source's own words or our note of what the source says."""

    QUOTE = "quote", "The source's own words"
    NOTE = "note", "Our note of this source"


class FindingKind(models.TextChoices):
    CONCERN = "concern", "Concern"
    REQUIRED_ACTION = "required_action", "Required action (must)"
    RECOMMENDATION = "recommendation", "Recommendation (should)"
    GOOD_PRACTICE = "good_practice", "Good practice"
    OUTSTANDING_PRACTICE = "outstanding_practice", "Outstanding practice"
    ENFORCEMENT = "enforcement", "Enforcement"


class FindingTheme(models.TextChoices):
    STAFFING = "staffing", "Staffing"
    SAFE_ENVIRONMENT = "safe_environment", "Safe environment and ligature risks"
    MEDICINES = "medicines", "Medicines"
    WAITING_TIMES = "waiting_times", "Waiting times and access"
    PRIVACY_DIGNITY = "privacy_dignity", "Privacy and dignity"
    TRAINING = "training", "Training"
    RECORDS = "records", "Records and care planning"
    LEADERSHIP = "leadership", "Leadership and governance"
    EQUIPMENT = "equipment", "Equipment"
    PATIENT_EXPERIENCE = "patient_experience", "Patient experience"
    INFECTION_CONTROL = "infection_control", "Infection control"
    SAFEGUARDING = "safeguarding", "Safeguarding and incidents"


def codes(choices) -> list[str]:
    return [code for code, _ in choices.choices]


@cache
def _labels(choices) -> dict[str, str]:
    return dict(choices.choices)


def label(choices, code: str) -> str:
    """The words for `code` in `choices`, or the code itself if it is none of them, as Django's get_FOO_display()
    says, which builds its table of choices again on every call (about 10 us: a trust page asked it 292 times)."""
    return _labels(choices).get(code, code)
