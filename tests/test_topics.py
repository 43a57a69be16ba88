"""Topic groups (rumpun): classification of action plans, group sizes, manual moves."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kompeten.accounts.models import Role
from kompeten.actionplans.models import ActionPlan
from kompeten.batching.models import Placement
from kompeten.programs.models import Level
from kompeten.registration.models import Registration
from kompeten.rumpun import topics
from kompeten.rumpun.models import Membership, Topic
from tests.conftest import make_user
from tests.factories import PLANS, fill_batch, ministry, participant

# The three examples of the 2019 guide (title, pokok permasalahan, tujuan).
EXAMPLE_PENGAWAS = (
    "Membuat Checklist Cluster Dokumen Laporan Kegiatan Pengembangan Kompetensi Kepegawaian",
    "Seringkali pembayaran honorarium terlambat karena pemahaman kelengkapan dokumen yang "
    "tidak sama",
    "Memudahkan dan menyamakan persepsi tentang kelengkapan dokumen administrasi keuangan")
EXAMPLE_ADMINISTRATOR = (
    "Implementasi Coaching dan Mentoring Kepegawaian",
    "UU ASN mengamanatkan bahwa setiap PNS berhak mendapatkan pengembangan kompetensi 20JP "
    "selama setahun. Sementara terdapat keterbatasan anggaran yang tidak sebanding dengan "
    "jumlah PNS keseluruhan",
    "Peningkatan kompetensi PNS khususnya bagi para pengelola kepegawaian melalui metode "
    "coaching dan mentoring")
EXAMPLE_JPT = (
    "Membuat aplikasi evaluasi pengukuran hasil pelatihan manajemen ASN bagi pejabat "
    "Administrasi dan JPT Pratama",
    "Dalam pelaksanaan evaluasi pelatihan membutuhkan banyak resources (seperti tenaga dan ATK)",
    "1. Membuat evaluasi pelatihan berbasis IT\n2. Membuat layanan evaluasi lebih cepat dan "
    "efisien")


def _suggest(program, level_code, plan):
    level = Level.objects.get(code=level_code)
    registration = participant(program=program, level=level, agency=ministry(), plan=plan)
    registration = Registration.objects.select_related("action_plan").get(pk=registration.pk)
    return topics.suggest_topics(registrations=[registration])[registration.pk]


def test_default_topics_are_created_once(db):
    first = topics.ensure_default_topics()
    Topic.objects.filter(code="kinerja").update(name="Kinerja Pegawai")
    second = topics.ensure_default_topics()
    assert len(first) == len(second) == 7
    assert Topic.objects.get(code="kinerja").name == "Kinerja Pegawai"  # edits are kept
    assert [t.name for t in second][0] == "Perencanaan dan Formasi"


@pytest.mark.parametrize(("level_code", "plan", "expected"), [
    ("pengawas", EXAMPLE_PENGAWAS, {"pengembangan-kompetensi"}),
    ("administrator", EXAMPLE_ADMINISTRATOR, {"pengembangan-kompetensi"}),
    ("jpt-pratama", EXAMPLE_JPT, {"pengembangan-kompetensi", "sistem-informasi"}),
], ids=["pengawas", "administrator", "jpt"])
def test_examples_of_the_guide(program, level_code, plan, expected):
    suggestion = _suggest(program, level_code, plan)
    assert suggestion.topic.code in expected
    assert suggestion.score > 0
    assert suggestion.matched_terms
    assert "kompetensi" in suggestion.matched_terms or "pelatihan" in suggestion.matched_terms


@pytest.mark.parametrize("level_code", ["pengawas", "administrator"])
@pytest.mark.parametrize("code", list(PLANS))
def test_synthetic_plans_per_topic(program, level_code, code):
    suggestion = _suggest(program, level_code, PLANS[code])
    assert suggestion.topic.code == code
    # the "why" are words of the plan itself
    text = " ".join(PLANS[code]).lower()
    assert suggestion.matched_terms
    assert all(term in text for term in suggestion.matched_terms)


def test_named_synthetic_plans(program):
    assert _suggest(program, "pengawas", ("Penyusunan formasi dan analisis kebutuhan pegawai",
                                          "", "")).topic.code == "perencanaan"
    assert _suggest(program, "pengawas", ("Penegakan disiplin dan hukuman disiplin PNS", "",
                                          "")).topic.code == "disiplin"
    kinerja = _suggest(program, "pengawas", ("Penilaian SKP pegawai", "", ""))
    assert kinerja.topic.code == "kinerja"
    assert "skp" in kinerja.matched_terms


def test_plan_without_matching_words_or_without_plan(program):
    empty = _suggest(program, "pengawas", ("Rapat rutin", "Tidak ada", "Lancar"))
    assert empty.topic is None and empty.matched_terms == () and empty.score == 0
    level = Level.objects.get(code="pengawas")
    registration = participant(program=program, level=level, agency=ministry(), plan=None)
    assert topics.suggest_topics(registrations=[registration])[registration.pk].topic is None


def test_stemming_keeps_words_the_stemmer_would_ruin():
    assert topics.stem("kinerja") == "kinerja"
    assert topics.stem("pengadaan") == "pengadaan"
    assert topics.stem("pengembangan") == "kembang"
    assert topics.stem("dan") == ""  # stop word
    assert topics.stem("kepegawaian") == ""  # shared by every plan


def _batch(program, number=1):
    return program.batches.get(number=number)


def _sizes(batch):
    return Counter(Placement.objects.filter(batch=batch).values_list("membership__topic",
                                                                     flat=True))


def _group(placement) -> Membership:
    return Membership.objects.select_related("topic", "suggested_topic").get(placement=placement)


def test_propose_groups_stores_topic_suggestion_and_terms(program):
    batch = _batch(program)
    plans = [PLANS[code] for code in PLANS for _ in range(4)]  # 28 people, 4 per topic
    placements = fill_batch(batch=batch, agency=ministry(), plans=plans)
    result = topics.propose_groups(program=program)
    assert result.placements == 28 and result.changed == 28 and not result.unbalanced
    for placement, plan in zip(placements, plans, strict=True):
        group = _group(placement)
        code = next(c for c, p in PLANS.items() if p == plan)
        assert group.topic.code == group.suggested_topic.code == code
        assert group.terms
    assert set(_sizes(batch).values()) == {4}
    again = topics.propose_groups(program=program)
    assert again.changed == 0


def test_small_groups_are_merged_into_runner_up(program):
    batch = _batch(program)
    # 14 people: two groups suffice, so the group of two is dissolved
    plans = [PLANS["kinerja"]] * 6 + [PLANS["disiplin"]] * 6 + [PLANS["pengadaan"]] * 2
    fill_batch(batch=batch, agency=ministry(), plans=plans)
    topics.propose_groups(program=program)
    sizes = _sizes(batch)
    assert all(4 <= size <= 8 for size in sizes.values()), sizes
    assert sum(sizes.values()) == 14 and len(sizes) == 2
    moved = Placement.objects.filter(batch=batch, registration__action_plan__title=PLANS[
        "pengadaan"][0])
    for placement in moved:
        # the "why" says the group was too small and what the plan matched best
        group = _group(placement)
        assert group.topic.code != "pengadaan"
        assert "ukuran kelompok" in group.terms
        assert "Pengadaan: seleksi" in group.terms


def test_large_groups_hand_weakest_members_to_runner_up(program):
    program.group_max_size = 6
    program.save(update_fields=["group_max_size"])
    batch = _batch(program)
    # 12 "kinerja" plans, some of which also speak of competency development
    mixed = ("Penilaian kinerja dan pengembangan kompetensi", "Pelatihan belum terukur",
             "SKP dan diklat")
    plans = [PLANS["kinerja"]] * 8 + [mixed] * 4
    placements = fill_batch(batch=batch, agency=ministry(), plans=plans)
    topics.propose_groups(program=program)
    sizes = _sizes(batch)
    assert all(4 <= size <= 6 for size in sizes.values()), sizes
    moved = [_group(p) for p in placements[8:]]
    # the mixed plans (weakest for Kinerja) are the ones that moved
    assert {m.topic.code for m in moved} == {"pengembangan-kompetensi"}


def test_too_few_participants_make_one_group(program):
    batch = _batch(program)
    fill_batch(batch=batch, agency=ministry(), plans=[PLANS["kinerja"], PLANS["karier"],
                                                    None])
    topics.propose_groups(program=program)
    assert len(_sizes(batch)) == 1


def test_manual_choices_survive_a_new_proposal(program):
    batch = _batch(program)
    organiser = make_user(Role.ORGANISER, username="penyelenggara-rumpun")
    placements = fill_batch(batch=batch, agency=ministry(),
                            plans=[PLANS["kinerja"]] * 6 + [PLANS["disiplin"]] * 6)
    topics.propose_groups(program=program)
    chosen = Placement.objects.get(pk=placements[0].pk)
    karier = Topic.objects.get(code="karier")
    result = topics.move_topic(placement=chosen, topic=karier, by=organiser)
    assert result.warnings  # a group of one is below the minimum: allowed, but said
    group = _group(chosen)
    assert group.topic == karier and group.suggested_topic.code == "kinerja"
    assert topics.is_manual_topic(group)
    proposal = topics.propose_groups(program=program)
    assert _group(chosen).topic == karier
    assert proposal.manual_kept == 1
    # back to the proposal: automatic again
    topics.move_topic(placement=chosen, topic=Topic.objects.get(code="kinerja"), by=organiser)
    assert not topics.is_manual_topic(_group(chosen))


def test_move_refuses_a_full_group_and_keeps_everything(program, settings):
    batch = _batch(program)
    organiser = make_user(Role.ORGANISER, username="penyelenggara-penuh")
    placements = fill_batch(batch=batch, agency=ministry(),
                            plans=[PLANS["kinerja"]] * 8 + [PLANS["disiplin"]] * 5)
    topics.propose_groups(program=program)
    mover = Placement.objects.get(pk=placements[-1].pk)
    with pytest.raises(ValidationError, match="paling banyak 8"):
        topics.move_topic(placement=mover, topic=Topic.objects.get(code="kinerja"),
                          by=organiser)
    assert _group(mover).topic.code == "disiplin"


def test_waiting_list_has_no_group(program):
    organiser = make_user(Role.ORGANISER, username="penyelenggara-tunggu")
    level = Level.objects.get(code="pengawas")
    registration = participant(program=program, level=level, agency=ministry(),
                               plan=PLANS["kinerja"])
    waiting = Placement.objects.create(registration=registration)
    with pytest.raises(ValidationError, match="daftar tunggu"):
        topics.move_topic(placement=waiting, topic=Topic.objects.first(), by=organiser)
    assert topics.propose_groups(program=program).placements == 0


def test_propose_one_batch_only(program):
    first, second = _batch(program, 1), _batch(program, 3)
    fill_batch(batch=first, agency=ministry(), plans=[PLANS["kinerja"]] * 5)
    others = fill_batch(batch=second, agency=ministry("LAIN"), plans=[PLANS["karier"]] * 5)
    result = topics.propose_groups(program=program, batch=first)
    assert result.batches == 1
    assert not Placement.objects.filter(pk__in=[p.pk for p in others],
                                        membership__topic__isnull=False).exists()


# -- properties -----------------------------------------------------------------------------

members_strategy = st.lists(
    st.tuples(st.lists(st.floats(min_value=0, max_value=1), min_size=7, max_size=7),
              st.one_of(st.none(), st.integers(min_value=0, max_value=6))),
    max_size=45)


@hypothesis_settings(max_examples=150, deadline=None)
@given(rows=members_strategy, minimum=st.integers(min_value=1, max_value=6),
       extra=st.integers(min_value=0, max_value=6), with_fixed=st.booleans())
def test_balance_groups_property(rows, minimum, extra, with_fixed):
    maximum = 2 * minimum - 1 + extra  # every n >= minimum can then be split within bounds
    topic_ids = list(range(100, 107))
    members = [topics.GroupMember(key=i, fixed=(topic_ids[fixed] if with_fixed
                                                and fixed is not None and i % 5 == 0 else None),
                                  scores=dict(zip(topic_ids, scores, strict=True)))
               for i, (scores, fixed) in enumerate(rows)]
    assignment, within = topics.balance_groups(members=members, topic_ids=topic_ids,
                                               minimum=minimum, maximum=maximum)
    assert set(assignment) == {m.key for m in members}
    assert all(assignment[m.key] == m.fixed for m in members if m.fixed is not None)
    sizes = Counter(assignment.values())
    feasible = minimum <= len(members) <= len(topic_ids) * maximum
    if feasible and not any(m.fixed for m in members):
        assert within
    if within and len(members) >= minimum:
        assert all(minimum <= size <= maximum for size in sizes.values()), sizes


PLAN_POOL = [*PLANS.values(), EXAMPLE_PENGAWAS, EXAMPLE_ADMINISTRATOR, EXAMPLE_JPT,
             ("Rapat rutin", "-", "-"), None]


@pytest.mark.django_db
@hypothesis_settings(max_examples=12, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])
@given(batches=st.lists(st.lists(st.sampled_from(range(len(PLAN_POOL))), max_size=30),
                        min_size=1, max_size=3))
def test_propose_groups_property(program, batches):
    Placement.objects.all().delete()
    ActionPlan.objects.all().delete()
    Registration.objects.filter(agency__code__startswith="PROP").delete()
    for number, plans in enumerate(batches, 1):
        fill_batch(batch=_batch(program, number), agency=ministry(f"PROP{number}"),
                   plans=[PLAN_POOL[i] for i in plans])
    topics.propose_groups(program=program)
    for number, plans in enumerate(batches, 1):
        sizes = _sizes(_batch(program, number))
        assert sum(sizes.values()) == len(plans)
        assert None not in sizes
        if len(plans) >= program.group_min_size:
            assert all(program.group_min_size <= s <= program.group_max_size
                       for s in sizes.values()), sizes
        elif plans:
            assert len(sizes) == 1

