from django.http import Http404
from django.shortcuts import render

from .models import CriteriaSet
from .selectors import criteria_set_detail, decision_list


def criteria_set_index(request):
    """The criteria sets of each decision, by product branch and group. Public: the rules are."""
    return render(request, "criteria/list.html", {"decisions": decision_list()})


def criteria_set_page(request, code: str):
    try:
        criteria_set = criteria_set_detail(code=code)
    except CriteriaSet.DoesNotExist:
        raise Http404 from None
    bands = sorted(criteria_set.decision.bands.all(), key=lambda b: b.min_points)
    return render(request, "criteria/detail.html", {"criteria_set": criteria_set, "bands": bands})
