"""Rumpun (topic groups): the default topics, the proposed topic of each action plan, and
group sizes within a batch.

Proposal of a plan's topic (``suggest_topics``)
    1. Every text is cut into lower-case words; Indonesian stop words (Sastrawi's list) and a
       few words that every plan of this training shares (ASN, PNS, pegawai, manajemen,
       prosedur, sistem, ...) are dropped, the rest is stemmed with Sastrawi (memoised per
       word: stemming is the slow part). "kinerja" and "pengadaan" are kept as they are:
       the stemmer turns them into "kerja" and "ada", which would lose their meaning.
    2. Each topic starts from a seed document: its name (counted twice) and its keywords.
    3. The titles of the level's modules and competency units join the topic they resemble
       most (TF-IDF cosine against the seeds, at least ``TITLE_MIN_SIMILARITY``), so that a
       unit "Melaksanakan Prosedur Penilaian Kinerja PNS" strengthens Kinerja for Pengawas.
       There is no hand-made table from titles to topics.
    4. TF-IDF over the topic documents of the level: tf = 1 + ln(count),
       idf = ln((N + 1) / (df + 0.5)) with N topics, so a word shared by every topic weighs
       almost nothing. The plan (title + pokok permasalahan + tujuan) is weighed the same way.
    5. The plan's cosine similarity to each topic ranks the topics. The "why" of a topic are
       the shared stems with the largest product of weights, shown as the plan's own words.

Group sizes per batch (``propose_groups``, computed by ``topic_balance.balance_groups``),
with the programme's group_min_size = MIN, group_max_size = MAX and n participants:
    1. Topics chosen by hand (see ``move_topic``) are fixed and never changed.
    2. The number of groups must lie between ceil(n / MAX) and floor(n / MIN) (one group
       when n < MIN). The open groups are the fixed topics and every topic that is the best
       match of somebody. While there are too many groups, or a group would have fewer than
       MIN members while there are more groups than needed, the smallest group (fewest
       first-choice members, then lowest total score) is closed: its members go to their
       best open runner-up. While there are too few groups, the topic with the highest total
       score among the free participants is opened.
    3. Everybody goes to the best open topic; plans without any match with an open topic
       go to the smallest group.
    4. A group over MAX hands its weakest members (the smallest loss in score) to their best
       open runner-up that has room.
    5. A group under MIN receives, one at a time, the member of a group above MIN who loses
       least by moving.
   Steps 4 and 5 always succeed when the fixed choices leave room; otherwise the result is
   the closest one found and a warning says which batch could not be balanced.
"""

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.batching.models import Placement
from kompeten.common import pagecache
from kompeten.programs.models import Batch, CompetencyUnit, Module, Program
from kompeten.registration.models import Registration
from kompeten.rumpun.balance import GroupMember, balance_groups
from kompeten.rumpun.models import Membership, Topic
from kompeten.rumpun.selectors import membership_of

logger = logging.getLogger(__name__)

# (code, name, keywords): the seven rumpun of the 2019 programme.
DEFAULT_TOPICS: list[tuple[str, str, str]] = [
    ("perencanaan", "Perencanaan dan Formasi",
     "perencanaan, formasi, kebutuhan pegawai, penyusunan kebutuhan, analisis jabatan, "
     "analisis beban kerja, peta jabatan, penataan, road map, rencana strategis, proyeksi, "
     "redistribusi, struktur organisasi"),
    ("pengadaan", "Pengadaan",
     "pengadaan, rekrutmen, seleksi, CPNS, PPPK, calon pegawai, penerimaan, ujian seleksi, "
     "computer assisted test, CAT, pendaftaran calon, honorer"),
    ("pengembangan-kompetensi", "Pengembangan Kompetensi",
     "pengembangan kompetensi, pelatihan, diklat, kursus, bimbingan teknis, bimtek, coaching, "
     "mentoring, e-learning, pembelajaran, analisis kebutuhan pelatihan, evaluasi pelatihan, "
     "tugas belajar, penilaian kompetensi, standar kompetensi, peserta, JP"),
    ("kinerja", "Kinerja",
     "kinerja, penilaian kinerja, sasaran kinerja pegawai, SKP, target, capaian, "
     "indikator kinerja, perilaku kerja, evaluasi kinerja, manajemen kinerja, "
     "tunjangan kinerja, prestasi"),
    ("disiplin", "Disiplin, Pemberhentian dan Pensiun",
     "disiplin, hukuman disiplin, pelanggaran, sanksi, kode etik, pemberhentian, pensiun, "
     "batas usia pensiun, jaminan pensiun, taspen, perlindungan, berhenti, kehadiran"),
    ("karier", "Karier dan Jabatan",
     "karier, pola karier, jalur karier, jabatan, jabatan fungsional, kenaikan pangkat, "
     "pangkat, promosi, mutasi, rotasi, manajemen talenta, talenta, pengangkatan, "
     "pengalihan, suksesi, jabatan pimpinan tinggi"),
    ("sistem-informasi", "Sistem Informasi",
     "sistem informasi, aplikasi, SAPK, SIASN, SIMPEG, database, basis data, "
     "data kepegawaian, digital, digitalisasi, online, daring, teknologi informasi, IT, "
     "website, integrasi data, pemutakhiran data, elektronik"),
]

# Words every plan of this training shares; they say nothing about its topic.
DOMAIN_STOP_WORDS = frozenset({
    "asn", "pns", "aparatur", "sipil", "negara", "negeri", "pegawai", "kepegawaian",
    "manajemen", "prosedur", "laksana", "sistem", "instansi", "bkn", "badan", "organisasi",
    "buat", "bagi", "kegiatan", "giat", "pejabat", "koordinasi",
})
# Words the stemmer would ruin ("kinerja" → "kerja", "pengadaan" → "ada").
KEEP_AS_IS = frozenset({"kinerja", "pengadaan"})
TITLE_MIN_SIMILARITY = 0.1
TERMS_SHOWN = 5
_WORD = re.compile(r"[a-z0-9]+")


def ensure_default_topics() -> list[Topic]:
    """Create the seven default topics once; organisers may edit names and keywords later."""
    for order, (code, name, keywords) in enumerate(DEFAULT_TOPICS, 1):
        if not Topic.objects.filter(code=code).exists():
            Topic.objects.get_or_create(code=code, defaults={"name": name, "keywords": keywords,
                                                             "order": order})
    return list(Topic.objects.all())


# -- text -----------------------------------------------------------------------------------

@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@cache
def _stop_words() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


@cache
def stem(word: str) -> str:
    """The stem of one lower-case word ("" when the word carries no topic)."""
    if word in _stop_words() or word in DOMAIN_STOP_WORDS or len(word) < 2 or word.isdigit():
        return ""
    result = word if word in KEEP_AS_IS else _stemmer().stem(word)
    return "" if result in DOMAIN_STOP_WORDS else result


def terms(text: str) -> list[tuple[str, str]]:
    """(surface word, stem) for every meaningful word of the text, in order."""
    pairs = []
    for word in _WORD.findall((text or "").lower()):
        root = stem(word)
        if root:
            pairs.append((word, root))
    return pairs


def plan_text(registration: Registration) -> str:
    """The words of the action plan that say what it is about."""
    try:
        plan = registration.action_plan
    except Registration.action_plan.RelatedObjectDoesNotExist:
        return ""
    return "\n".join((plan.title, plan.problem, plan.goals))


Vector = dict[str, float]


def _weights(counts: Counter, idf: dict[str, float], unseen_idf: float) -> Vector:
    return {t: (1 + math.log(c)) * idf.get(t, unseen_idf) for t, c in counts.items() if c > 0}


def _cosine(a: Vector, b: Vector) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(w * large[t] for t, w in small.items() if t in large)
    if dot == 0:
        return 0.0
    return dot / (math.sqrt(sum(w * w for w in a.values()))
                  * math.sqrt(sum(w * w for w in b.values())))


def _idf(documents: Iterable[Counter]) -> tuple[dict[str, float], float]:
    documents = list(documents)
    n = len(documents)
    df = Counter(t for doc in documents for t in doc)
    return ({t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()},
            math.log((n + 1) / 0.5))


@dataclass(frozen=True)
class TopicScore:
    topic: Topic
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """The best topic of a plan (None when no word matches), why, and the other topics."""

    topic: Topic | None
    score: float
    matched_terms: tuple[str, ...]
    runner_up: Topic | None
    ranking: tuple[TopicScore, ...] = field(default=(), repr=False)

    def terms_for(self, topic_id: int | None) -> tuple[str, ...]:
        return next((s.terms for s in self.ranking if s.topic.pk == topic_id), ())

    def score_for(self, topic_id: int | None) -> float:
        return next((s.score for s in self.ranking if s.topic.pk == topic_id), 0.0)


class TopicModel:
    """TF-IDF vectors of the topics for one level (seed words + module and unit titles)."""

    def __init__(self, topics: list[Topic], titles: Iterable[str]) -> None:
        self.topics = topics
        seeds = {t.pk: Counter(s for _w, s in terms(f"{t.name} {t.name} {t.keywords}"))
                 for t in topics}
        idf, unseen = _idf(seeds.values())
        seed_vectors = {pk: _weights(doc, idf, unseen) for pk, doc in seeds.items()}
        documents = {pk: Counter(doc) for pk, doc in seeds.items()}
        for title in titles:
            counts = Counter(s for _w, s in terms(title))
            vector = _weights(counts, idf, unseen)
            best_pk, best = max(((pk, _cosine(vector, v)) for pk, v in seed_vectors.items()),
                                key=lambda item: item[1], default=(None, 0.0))
            if best_pk is not None and best >= TITLE_MIN_SIMILARITY:
                documents[best_pk].update(counts)
        self.idf, self.unseen_idf = _idf(documents.values())
        self.vectors = {pk: _weights(doc, self.idf, self.unseen_idf)
                        for pk, doc in documents.items()}

    def suggest(self, text: str) -> Suggestion:
        pairs = terms(text)
        surface: dict[str, str] = {}
        for word, root in pairs:
            surface.setdefault(root, word)
        vector = _weights(Counter(root for _w, root in pairs), self.idf, self.unseen_idf)
        scored = []
        for topic in self.topics:
            topic_vector = self.vectors[topic.pk]
            score = _cosine(vector, topic_vector)
            shared = sorted((t for t in vector if t in topic_vector),
                            key=lambda t: (-vector[t] * topic_vector[t], t))
            scored.append(TopicScore(topic, round(score, 4),
                                     tuple(surface[t] for t in shared[:TERMS_SHOWN])))
        scored.sort(key=lambda s: (-s.score, s.topic.order, s.topic.pk))
        matching = [s for s in scored if s.score > 0]
        best = matching[0] if matching else None
        return Suggestion(
            topic=best.topic if best else None, score=best.score if best else 0.0,
            matched_terms=best.terms if best else (),
            runner_up=matching[1].topic if len(matching) > 1 else None,
            ranking=tuple(scored))


def topic_models(*, level_ids: Iterable[int], topics: list[Topic] | None = None
                 ) -> dict[int, TopicModel]:
    """One model per level, with the titles of the level's modules and competency units."""
    topics = topics if topics is not None else list(Topic.objects.all())
    level_ids = set(level_ids)
    titles: dict[int, list[str]] = defaultdict(list)
    for level_id, title in Module.objects.filter(level_id__in=level_ids).values_list(
            "level_id", "title"):
        titles[level_id].append(title)
    for level_id, title in CompetencyUnit.objects.filter(
            qualification__level_id__in=level_ids).values_list("qualification__level_id",
                                                               "title"):
        titles[level_id].append(title)
    return {level_id: TopicModel(topics, titles[level_id]) for level_id in level_ids}


def suggest_topics(*, registrations: Iterable[Registration]) -> dict[int, Suggestion]:
    """The proposed topic of each registration's action plan, by registration pk.

    Pass registrations with ``select_related("action_plan")`` to avoid a query each."""
    registrations = list(registrations)
    if not registrations:
        return {}
    topics = ensure_default_topics()
    models = topic_models(level_ids={r.level_id for r in registrations}, topics=topics)
    return {r.pk: models[r.level_id].suggest(plan_text(r)) for r in registrations}


# -- group sizes (the procedure itself: kompeten.rumpun.balance) -------------------

def why(suggestion: Suggestion, topic_id: int) -> str:
    """The matched words for the group a participant lands in; when group sizes moved them
    away from their best topic, that topic and its words too."""
    text = ", ".join(suggestion.terms_for(topic_id))
    best = suggestion.topic
    if best is not None and best.pk != topic_id:
        moved = _("ukuran kelompok; paling cocok %(topic)s: %(terms)s") % {
            "topic": best.name, "terms": ", ".join(suggestion.matched_terms)}
        text = f"{text} ({moved})" if text else moved
    return text[:300]


def is_manual_topic(membership: Membership | None) -> bool:
    """A topic chosen by hand: the group differs from what the system proposed."""
    return (membership is not None and membership.topic_id is not None
            and membership.topic_id != membership.suggested_topic_id)


@dataclass
class ProposalResult:
    batches: int = 0
    placements: int = 0
    changed: int = 0
    manual_kept: int = 0
    unbalanced: list[Batch] = field(default_factory=list)


@transaction.atomic
def propose_groups(*, program: Program, batch: Batch | None = None) -> ProposalResult:
    """Propose the topic of every placed participant of the programme (or of one batch),
    keep the group sizes within bounds per batch and store topic, suggested topic and the
    matched terms. Topics chosen by hand (``is_manual_topic``) are never changed."""
    topics = ensure_default_topics()
    placements = (Placement.objects.select_for_update(of=("self",))
                  .filter(registration__program=program, batch__isnull=False)
                  .select_related("registration__action_plan", "batch", "membership")
                  .order_by("batch_id", "pk"))
    if batch is not None:
        placements = placements.filter(batch=batch)
    placements = list(placements)
    suggestions = suggest_topics(registrations=[p.registration for p in placements])
    by_batch: dict[int, list[Placement]] = defaultdict(list)
    for placement in placements:
        by_batch[placement.batch_id].append(placement)
    result = ProposalResult(batches=len(by_batch), placements=len(placements))
    topic_ids = [t.pk for t in topics]
    topics_by_pk = {t.pk: t for t in topics}
    changed, created = [], []
    memberships = {p.pk: membership_of(p) for p in placements}
    for members in by_batch.values():
        group_members = []
        for p in members:
            manual = is_manual_topic(memberships[p.pk])
            result.manual_kept += manual
            suggestion = suggestions[p.registration_id]
            group_members.append(GroupMember(
                key=p.pk, fixed=memberships[p.pk].topic_id if manual else None,
                scores={s.topic.pk: s.score for s in suggestion.ranking}))
        assignment, within = balance_groups(
            members=group_members, topic_ids=topic_ids, minimum=program.group_min_size,
            maximum=program.group_max_size)
        if not within:
            result.unbalanced.append(members[0].batch)
        for p in members:
            membership = memberships[p.pk]
            if is_manual_topic(membership):
                continue
            topic_id = assignment[p.pk]
            new_terms = why(suggestions[p.registration_id], topic_id)
            if membership is None:
                created.append(Membership(placement=p, topic=topics_by_pk[topic_id],
                                          suggested_topic=topics_by_pk[topic_id],
                                          terms=new_terms))
            elif (membership.topic_id, membership.suggested_topic_id, membership.terms) != (
                    topic_id, topic_id, new_terms):
                membership.topic = membership.suggested_topic = topics_by_pk[topic_id]
                membership.terms = new_terms
                changed.append(membership)
    Membership.objects.bulk_update(changed, ["topic", "suggested_topic", "terms"],
                                   batch_size=500)
    Membership.objects.bulk_create(created, batch_size=500)
    result.changed = len(changed) + len(created)
    if result.changed:
        pagecache.bump(pagecache.ANNOUNCEMENT)
    return result


@dataclass(frozen=True)
class MoveResult:
    placement: Placement
    warnings: tuple[str, ...]


@transaction.atomic
def move_topic(*, placement: Placement, topic: Topic, by: User) -> MoveResult:
    """Put a participant into another topic group of their batch, by hand.

    Rule: a manual choice is stored by setting ``topic`` and leaving ``suggested_topic``
    (the system's proposal) as it is; ``propose_groups`` never changes a placement whose
    topic differs from its suggestion. Moving somebody back to the proposed topic makes the
    choice automatic again. A group may never exceed the programme's group_max_size
    (refused); a group that falls below group_min_size is allowed (to form or dissolve a
    group step by step) but reported as a warning. The rows of the batch are locked, so two
    organisers moving people at the same time cannot both fill the last place of a group."""
    if placement.batch_id is None:
        raise ValidationError(_("Peserta masih di daftar tunggu; rumpun ditentukan setelah "
                                "peserta mendapat angkatan."))
    # Lock the batch's placements (not the outer-joined memberships: PostgreSQL refuses
    # FOR UPDATE on the nullable side of an outer join).
    list(Placement.objects.select_for_update().filter(batch_id=placement.batch_id)
         .values_list("pk", flat=True))
    rows = list(Placement.objects.filter(batch_id=placement.batch_id)
                .order_by("pk").values_list("pk", "membership__topic"))
    counts = Counter(topic_id for _pk, topic_id in rows)
    current = dict(rows).get(placement.pk)
    placement.refresh_from_db()
    if current == topic.pk:
        return MoveResult(placement, ())
    batch = placement.batch
    program = batch.program
    maximum, minimum = program.group_max_size, program.group_min_size
    if counts[topic.pk] + 1 > maximum:
        raise ValidationError(
            _("Rumpun %(topic)s di %(batch)s sudah berisi %(count)s peserta (paling banyak "
              "%(max)s). Pindahkan dulu peserta lain keluar dari rumpun ini.")
            % {"topic": topic.name, "batch": batch, "count": counts[topic.pk], "max": maximum})
    warnings = []
    if current is not None and 0 < counts[current] - 1 < minimum:
        old = Topic.objects.get(pk=current)
        warnings.append(_("Rumpun %(topic)s di %(batch)s kini tinggal %(count)s peserta "
                          "(paling sedikit %(min)s).")
                        % {"topic": old.name, "batch": batch, "count": counts[current] - 1,
                           "min": minimum})
    if counts[topic.pk] + 1 < minimum:
        warnings.append(_("Rumpun %(topic)s di %(batch)s baru berisi %(count)s peserta "
                          "(paling sedikit %(min)s).")
                        % {"topic": topic.name, "batch": batch, "count": counts[topic.pk] + 1,
                           "min": minimum})
    Membership.objects.update_or_create(placement=placement, defaults={"topic": topic})
    Placement.objects.filter(pk=placement.pk).update(updated_at=timezone.now())
    pagecache.bump(pagecache.ANNOUNCEMENT)
    logger.info("topic of placement %s moved to %s by %s", placement.pk, topic.code, by.pk)
    return MoveResult(placement, tuple(warnings))
