"""Group sizes within one batch: which topic group each participant joins so that every
group has the programme's group_min_size..group_max_size members. Pure Python, no
database; the procedure is described in the docstring of kompeten.rumpun.topics."""

import math
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupMember:
    key: int
    fixed: int | None  # a topic chosen by hand, never changed
    scores: dict[int, float]


def balance_groups(*, members: list[GroupMember], topic_ids: list[int], minimum: int,
                   maximum: int) -> tuple[dict[int, int], bool]:
    """Topic of each member (key → topic id) and whether all groups are within bounds.

    The procedure is described in the docstring of kompeten.rumpun.topics."""
    if not members or not topic_ids:
        return {}, True
    maximum = max(maximum, 1)
    minimum = max(1, min(minimum, maximum))
    order = {t: i for i, t in enumerate(topic_ids)}
    n = len(members)
    fixed_counts = Counter(m.fixed for m in members if m.fixed is not None)
    free = [m for m in members if m.fixed is None]
    scored = [m for m in free if any(v > 0 for v in m.scores.values())]
    unscored = [m for m in free if not any(v > 0 for v in m.scores.values())]
    g_min = max(1, math.ceil(n / maximum))
    g_max = max(1, n // minimum)

    def score(m: GroupMember, t: int) -> float:
        return m.scores.get(t, 0.0)

    def best(m: GroupMember, topics) -> int:
        return max(topics, key=lambda t: (score(m, t), -order[t]))

    def total(t: int) -> float:
        return sum(score(m, t) for m in free)

    open_ = set(fixed_counts) | {best(m, topic_ids) for m in scored}
    while True:
        demand = Counter(fixed_counts)
        demand.update(best(m, open_) for m in scored)
        closable = sorted((t for t in open_ if t not in fixed_counts),
                          key=lambda t: (demand[t], total(t), -order[t]))
        if len(open_) > g_max and closable:
            open_.remove(closable[0])
            continue
        under = [t for t in closable if demand[t] < minimum]
        if under and len(open_) > g_min:
            open_.remove(under[0])
            continue
        break
    while len(open_) < min(g_min, len(topic_ids)):
        open_.add(max((t for t in topic_ids if t not in open_),
                      key=lambda t: (total(t), -order[t])))

    assignment = {m.key: m.fixed for m in members if m.fixed is not None}
    counts = Counter(fixed_counts)
    for m in sorted(scored, key=lambda m: -max(m.scores.values())):
        topic = best(m, open_)
        if score(m, topic) == 0:  # nothing in common with any open group
            unscored.append(m)
            continue
        assignment[m.key] = topic
        counts[topic] += 1
    for m in unscored:
        topic = min(open_, key=lambda t: (counts[t], order[t]))
        assignment[m.key] = topic
        counts[topic] += 1

    def move(m: GroupMember, to: int) -> None:
        counts[assignment[m.key]] -= 1
        counts[to] += 1
        assignment[m.key] = to

    for topic in sorted(open_, key=order.get):
        while counts[topic] > maximum:
            options = [(score(m, topic) - score(m, to), order[to], m.key, m, to)
                       for m in free if assignment[m.key] == topic
                       for to in open_ if to != topic and counts[to] < maximum]
            if not options:
                break
            *_rank, m, to = min(options, key=lambda o: o[:3])
            move(m, to)
    while True:
        needy = sorted((t for t in open_ if counts[t] < minimum), key=lambda t: (counts[t],
                                                                                  order[t]))
        options = [(score(m, assignment[m.key]) - score(m, needy[0]), m.key, m)
                   for m in free
                   if needy and assignment[m.key] != needy[0]
                   and counts[assignment[m.key]] > minimum]
        if not options:
            break
        move(min(options, key=lambda o: o[:2])[2], needy[0])

    sizes = [c for c in counts.values() if c]
    within = len(sizes) == 1 if n < minimum else all(minimum <= c <= maximum for c in sizes)
    return assignment, within
