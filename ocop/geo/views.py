from django.shortcuts import render

from ocop.forms import db_int

from .selectors import commune_list


def commune_options(request):
    """<option>s of a province's communes, for the commune select that follows a province."""
    province = db_int(request.GET.get("province", ""))  # past 64 bits: no province either
    communes = [] if province is None else commune_list(province_code=province)
    return render(request, "geo/_commune_options.html", {"communes": communes})
