"""Where CQC's published data gives another value than a curated rating of the same report."""

from django.db import models
from django.db.models import Q

from inspections.domain.codes import codes
from inspections.domain.rating_levels import RatingValue
from inspections.models.ratings import Rating
from inspections.models.sources import Source


class Disagreement(models.Model):
    """A source's value for a rating that differs from the curated one we show.

    The import never overwrites a curated rating: it records what CQC's data says here, so the
    inspection page can list it under "Where sources disagree" and an editor can look again.
    """

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="disagreements")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="disagreements")
    value = models.CharField("value in this source", max_length=24, choices=RatingValue.choices)
    passage = models.TextField(blank=True, help_text='What the source says, verbatim, e.g. Safe: "Good".')

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "source"], name="disagreement_unique_per_source"),
            models.CheckConstraint(condition=Q(value__in=codes(RatingValue)), name="disagreement_value_valid"),
        ]

    def __str__(self):
        return f"{self.source.code} gives {self.get_value_display()} for {self.rating}"

    @property
    def description(self) -> str:
        """What a reader sees under "Where sources disagree"."""
        rating, kind = self.rating, self.source.get_kind_display()
        return (
            f"{kind[0].upper()}{kind[1:]} ({self.source.publisher}) "
            f"gives {self.get_value_display()} for {rating.subject_name}, {rating.get_key_question_display()}; "
            f"we show {rating.get_value_display()}, as our other sources for this report give it."
        )
