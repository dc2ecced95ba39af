from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.geo.models import Commune, Province

from .models import Metric, ProgrammePlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    """The plan and one field per target (empty: no target of that kind)."""

    class Meta:
        model = ProgrammePlan
        fields = ["title", "start_year", "end_year", "province", "commune"]

    def __init__(self, *args, provinces=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces or Province.objects.none()
        self.fields["province"].empty_label = _("The whole country")
        self.fields["commune"].queryset = communes or Commune.objects.none()
        self.fields["commune"].empty_label = _("The whole province")
        existing = (
            {t.metric: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        )
        for metric, label in Metric.choices:
            self.fields[f"target_{metric}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=2**31 - 1,  # PlanTarget.value's column (saved without full_clean)
                initial=existing.get(metric),
            )

    def plan_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}

    def targets(self) -> dict[str, int | None]:
        return {m: self.cleaned_data[f"target_{m}"] for m in Metric.values}


class ApproveForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    date = forms.DateField(label=_("Decision date"), widget=DATE)


class CourseForm(forms.ModelForm):
    class Meta:
        from .models import TrainingCourse

        model = TrainingCourse
        fields = [
            "title",
            "topic",
            "starts_on",
            "ends_on",
            "place",
            "online",
            "organiser",
            "trainers",
            "province",
            "commune",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "topic": forms.Textarea(attrs={"rows": 3}),
            "trainers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, provinces=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces if provinces is not None else Province.objects
        self.fields["commune"].queryset = (
            communes if communes is not None else Commune.objects.none()
        )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the course?"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GuidanceForm(forms.ModelForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel or a picture."),
    )

    class Meta:
        from .models import GuidanceDocument

        model = GuidanceDocument
        fields = ["title", "summary", "topic", "province", "commune", "course", "published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("Title of the document"), "topic": _("Topic")}

    def __init__(self, *args, provinces=None, communes=None, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces if provinces is not None else Province.objects
        self.fields["province"].empty_label = _("The whole country")
        self.fields["commune"].queryset = (
            communes if communes is not None else Commune.objects.none()
        )
        self.fields["commune"].empty_label = _("The whole province")
        from .models import TrainingCourse

        self.fields["course"].queryset = (
            courses if courses is not None else TrainingCourse.objects.none()
        )
        self.fields["course"].empty_label = _("Not handed out at a course")
        from .models import GuidanceTopic

        self.fields["topic"].choices = GuidanceTopic.choices  # no empty choice: one is needed
        if self.instance.pk is None:
            self.fields["file"].required = True

    def guidance_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}
