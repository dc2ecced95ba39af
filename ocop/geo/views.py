from django.shortcuts import render

from .selectors import commune_list


def commune_options(request):
    """<option>s of a province's communes, for the commune select that follows a province."""
    try:
        province = int(request.GET.get("province", ""))
    except ValueError:
        communes = []
    else:
        communes = commune_list(province_code=province)
    return render(request, "geo/_commune_options.html", {"communes": communes})
