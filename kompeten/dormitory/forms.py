"""Forms of the dormitory pages: they only parse; kompeten.dormitory.rooms saves."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from kompeten.dormitory.models import Room


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["building", "number", "capacity", "is_active"]
        help_texts = {
            "capacity": _("Jumlah tempat tidur (biasanya 2)."),
            "is_active": _("Kamar yang tidak dipakai tidak diisi saat kamar disusun."),
        }

    def _post_clean(self):
        super()._post_clean()
        # Django's own Indonesian message for the (building, number) constraint reads
        # "... ini tidak ada" ("does not exist"): say plainly which room already exists.
        errors = self._errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        data = errors.as_data()
        kept = [e for e in data if e.code != "unique_together"]
        if len(kept) < len(data):
            del self._errors[NON_FIELD_ERRORS]
            for error in kept:
                self.add_error(None, error)
            self.add_error("number", _("Kamar %(number)s di %(building)s sudah ada.") % {
                "number": self.cleaned_data.get("number", ""),
                "building": self.cleaned_data.get("building", "")})


class RoomGenerateForm(forms.Form):
    building = forms.CharField(label=_("Gedung"), max_length=60,
                               help_text=_("Misalnya: Asrama A."))
    count = forms.IntegerField(label=_("Jumlah kamar"), min_value=1, max_value=1000)
    first_number = forms.IntegerField(label=_("Nomor kamar pertama"), min_value=0,
                                      max_value=99999, initial=101)
    capacity = forms.IntegerField(label=_("Kapasitas per kamar"), min_value=1, max_value=20,
                                  initial=2)


class StayForm(forms.Form):
    stays = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
