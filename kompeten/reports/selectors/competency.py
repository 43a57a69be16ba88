"""The competency map: for every agency and province, how many of its officials hold each
level's competence certificate (valid, across all programme years unless one is chosen)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F

from kompeten.certificates.models import Kind
from kompeten.certificates.selectors import valid_certificates
from kompeten.programs.models import Agency, Level
from kompeten.reports.filters import Criteria


@dataclass
class MapRow:
    name: str
    province: str
    counts: list[int] = field(default_factory=list)  # per level, in level order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class LevelColumn:
    pk: int
    name: str


@dataclass
class CompetencyMap:
    levels: list[LevelColumn]
    agencies: list[MapRow]
    provinces: list[MapRow]
    totals: list[int]

    def as_json(self) -> dict:
        """The figures as JSON (a stored report snapshot)."""
        return {"levels": [[level.pk, level.name] for level in self.levels],
                "agencies": [[r.name, r.province, r.counts] for r in self.agencies],
                "provinces": [[r.name, r.province, r.counts] for r in self.provinces],
                "totals": self.totals}

    @classmethod
    def from_json(cls, data: dict) -> "CompetencyMap":
        return cls([LevelColumn(pk, name) for pk, name in data["levels"]],
                   [MapRow(*row) for row in data["agencies"]],
                   [MapRow(*row) for row in data["provinces"]], data["totals"])


def competency_map(*, criteria: Criteria) -> CompetencyMap:
    """Every agency the filters (and an operator's scope) cover, with or without
    certificates."""
    levels = [LevelColumn(pk, name) for pk, name in
              Level.objects.order_by("order", "pk").values_list("pk", "name")]
    if criteria.level is not None:
        levels = [level for level in levels if level.pk == criteria.level.pk]
    index = {level.pk: i for i, level in enumerate(levels)}
    certificates = criteria.apply(
        valid_certificates(program=criteria.program).filter(kind=Kind.COMPETENCE),
        "registration__")
    held: dict[int, list[int]] = defaultdict(lambda: [0] * len(levels))
    for row in (certificates.values(agency=F("registration__agency_id"),
                                    level=F("registration__level_id"))
                .annotate(officials=Count("registration__nip", distinct=True))):
        if row["level"] in index:
            held[row["agency"]][index[row["level"]]] = row["officials"]
    agencies = Agency.objects.all()
    if criteria.agency_scope is not None:
        agencies = agencies.filter(pk=criteria.agency_scope)
    if criteria.agency is not None:
        agencies = agencies.filter(pk=criteria.agency.pk)
    if criteria.province:
        agencies = agencies.filter(province=criteria.province)
    rows = [MapRow(name, province or "", list(held.get(pk, [0] * len(levels))))
            for pk, name, province in agencies.order_by("province", "name")
            .values_list("pk", "name", "province")]
    by_province: dict[str, MapRow] = {}
    for row in rows:
        target = by_province.setdefault(row.province, MapRow(row.province, row.province,
                                                             [0] * len(levels)))
        target.counts = [a + b for a, b in zip(target.counts, row.counts, strict=True)]
    totals = [sum(row.counts[i] for row in rows) for i in range(len(levels))]
    provinces = sorted(by_province.values(), key=lambda r: (r.name == "", r.name))
    return CompetencyMap(levels, rows, provinces, totals)
