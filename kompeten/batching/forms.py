"""Forms of the batch placement pages: they only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

WAITING = "tunggu"


class RunForm(forms.Form):
    ACTIONS = [("preview", _("Pratinjau")), ("run", _("Jalankan penempatan otomatis")),
               ("reset", _("Atur ulang yang belum diumumkan"))]

    level = forms.ChoiceField(label=_("Jenjang"))
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.code, level.name) for level in levels]
        self.fields["level"].error_messages["invalid_choice"] = _(
            "Jenjang ini tidak mempunyai angkatan di penyelenggaraan ini.")


class MoveForm(forms.Form):
    """Which placement goes where: one participant chosen in the table, and one target for
    the whole page: a batch typed by its number, or the waiting list (the "tujuan" button)."""

    TO_BATCH = "angkatan"

    placement = forms.IntegerField(
        min_value=1, error_messages={"required": _("Pilih dulu peserta yang akan dipindahkan."),
                                     "invalid": _("Pilih dulu peserta yang akan dipindahkan."),
                                     "min_value": _("Pilih dulu peserta yang akan dipindahkan.")})
    tujuan = forms.ChoiceField(
        choices=[(TO_BATCH, _("Angkatan")), (WAITING, _("Daftar tunggu"))], required=False,
        error_messages={"invalid_choice": _("Pilih angkatan tujuan atau daftar tunggu.")})
    angkatan = forms.CharField(label=_("Nomor angkatan tujuan"), max_length=6, required=False)

    def clean(self):
        data = super().clean()
        if data.get("tujuan") == WAITING:
            data["number"] = None
            return data
        number = (data.get("angkatan") or "").strip()
        if not number:
            self.add_error("angkatan", _("Isi nomor angkatan tujuan, atau pilih daftar tunggu."))
        elif not number.isdigit() or int(number) < 1:
            self.add_error("angkatan", _("Nomor angkatan harus berupa angka, misalnya 12."))
        else:
            data["number"] = int(number)
        return data

    @property
    def to_waiting(self) -> bool:
        return self.cleaned_data.get("tujuan") == WAITING


class BatchFilterForm(forms.Form):
    """Find batches on the overview: by level, number, first day and fill (all optional)."""

    FILLS = [("", _("Semua")), ("kosong", _("Masih kosong")), ("ada-kursi", _("Masih ada kursi")),
             ("penuh", _("Penuh"))]

    jenjang = forms.ChoiceField(label=_("Jenjang"), required=False)
    nomor = forms.IntegerField(label=_("Nomor angkatan"), required=False, min_value=1,
                               max_value=32767, error_messages={
                                   "invalid": _("Nomor angkatan harus berupa angka, misalnya 12."),
                                   "min_value": _("Nomor angkatan mulai dari 1."),
                                   "max_value": _("Nomor angkatan terlalu besar.")})
    mulai = forms.DateField(label=_("Mulai pada atau sesudah"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            error_messages={"invalid": _("Tanggal tidak dikenal; tulis seperti "
                                                         "2019-03-14.")})
    isi = forms.ChoiceField(
        label=_("Keterisian"), required=False, choices=FILLS,
        error_messages={"invalid_choice": _("Pilihan keterisian tidak dikenal.")})

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {level.code: level for level in levels}
        self.fields["jenjang"].choices = [("", _("Semua jenjang"))] + [
            (level.code, level.name) for level in levels]
        self.fields["jenjang"].error_messages["invalid_choice"] = _(
            "Jenjang ini tidak mempunyai angkatan di penyelenggaraan ini.")

    def filters(self) -> dict:
        """The valid filters as keyword arguments of selectors.find_batches (after is_valid();
        a field with an error is left out, the others still apply)."""
        data = getattr(self, "cleaned_data", {})
        return {"level": self.levels.get(data.get("jenjang") or ""),
                "number": data.get("nomor"), "starting": data.get("mulai"),
                "fill": data.get("isi") or ""}
