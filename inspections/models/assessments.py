"""Assessments under CQC's newer assessment framework, as CQC's data gives them (`assessment[]`): a rating of a
group of services, each key question with a percentage score, and the quality statements under it with their scores
(the import keeps whole numbers from 1 to 4)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from inspections.domain.codes import KeyQuestion, Origin, codes
from inspections.domain.rating_levels import RatingValue
from inspections.models.sources import Source
from inspections.models.trusts import Location, Trust


class Assessment(models.Model):
    """One assessment plan's result for a trust or one of its sites, as CQC's data gives it."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="assessments")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments")
    plan_id = models.CharField("CQC assessment plan id", max_length=64)
    title = models.CharField(max_length=300, blank=True)
    group_name = models.CharField("services assessed", max_length=300, blank=True, help_text="CQC's service group.")
    status = models.CharField(max_length=100, blank=True, help_text="CQC's assessment plan status.")
    assessed = models.DateField("assessment date", null=True, blank=True)
    published = models.DateTimeField("plan published", null=True, blank=True)
    rating = models.CharField(max_length=24, choices=RatingValue.choices, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="assessments")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CQC_API)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed", "plan_id"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "location", "plan_id"], name="assessment_unique_plan"),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=codes(RatingValue)), name="assessment_rating_valid"
            ),
        ]

    def __str__(self):
        return f"{self.location or self.trust}: {self.title or self.plan_id}"


class AssessmentScore(models.Model):
    """A key question's rating in an assessment, with its percentage score."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    key_question = models.CharField(max_length=40, choices=KeyQuestion.choices)
    rating = models.CharField(max_length=24, choices=RatingValue.choices)
    percentage = models.PositiveSmallIntegerField(null=True, blank=True, help_text="CQC's score, 0 to 100.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key_question"], name="assessment_score_unique"),
            models.CheckConstraint(condition=Q(percentage__lte=100), name="assessment_score_percentage_range"),
            models.CheckConstraint(condition=Q(rating__in=codes(RatingValue)), name="assessment_score_rating_valid"),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.get_key_question_display()} {self.get_rating_display()}"


class QualityStatementScore(models.Model):
    """A quality statement ("topic area") under a key question, scored 1 to 4 by CQC."""

    score = models.ForeignKey(AssessmentScore, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.PositiveIntegerField("CQC quality statement id")
    name = models.CharField(max_length=300)
    points = models.PositiveSmallIntegerField(null=True, blank=True, help_text="CQC's score, 1 to 4.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = "quality statement score"
        constraints = [
            models.UniqueConstraint(fields=["score", "statement_id"], name="quality_statement_unique"),
            models.CheckConstraint(condition=Q(points__gte=1, points__lte=4), name="quality_statement_points_range"),
        ]

    def __str__(self):
        return f"{self.name}: {self.points}"
