"""A plan's dependency network compiled to integer arrays, and its topological waves.

Nodes are task indices ``0..n-1`` (in plan order) plus one extra *head* node per summary task
that has children (``n..``): a summary's head takes the links into the summary and passes their
floor down to everything inside it; the summary's own index is its *tail*, which rolls the
children's dates up and carries the links out of the summary.

A *wave* is a set of nodes whose predecessors all lie in earlier waves (Kahn's algorithm taken a
layer at a time), so each wave can be computed with whole-array numpy operations.
"""

from __future__ import annotations

from functools import cached_property
from operator import attrgetter

import numpy as np

from steerco.engine.scheduling.errors import ScheduleCycleError, ScheduleError
from steerco.engine.scheduling.model import Plan

#: Layering switches from numpy to plain Python once the graph proves narrow and deep (a long
#: chain), where per-wave numpy calls would cost more than they save.
_NUMPY_WAVES_BEFORE_CHECK = 256
_NARROW_WAVE_SIZE = 32


def _csr(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable order of ``keys`` (values 0..size-1) and the start offset of each value."""
    order = np.argsort(keys, kind="stable")
    bounds = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=size), out=bounds[1:])
    return order, bounds


def _uid_array(values, count: int, what: str) -> np.ndarray:
    try:
        return np.fromiter(values, np.int64, count)
    except (OverflowError, TypeError, ValueError) as error:
        raise ScheduleError(f"{what} must be whole numbers below 2**63 ({error}).") from error


class Network:
    """The structure of a plan (tasks, hierarchy, links); reusable while the structure holds."""

    def __init__(self, plan: Plan) -> None:
        tasks = plan.tasks
        n = len(tasks)
        self.plan = plan
        self.n = n
        self.uids = _uid_array(map(attrgetter("uid"), tasks), n, "Task uids")
        self._uid_order = np.argsort(self.uids, kind="stable")
        self._sorted_uids = self.uids[self._uid_order]
        if n > 1 and (self._sorted_uids[1:] == self._sorted_uids[:-1]).any():
            raise ScheduleError("Two tasks share the same uid.")
        self._build_hierarchy()
        self._build_links()
        self._build_waves()

    @cached_property
    def index_of(self) -> dict[int, int]:
        """Task index by uid."""
        return dict(zip(self.uids.tolist(), range(self.n), strict=True))

    def indices_of(self, uids: np.ndarray) -> np.ndarray:
        """Task indices of an array of uids; -1 where a uid is unknown."""
        if self.n == 0:
            return np.full(len(uids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._sorted_uids, uids), self.n - 1)
        found = self._sorted_uids[at] == uids
        return np.where(found, self._uid_order[at], -1)

    # ------------------------------------------------------------------ hierarchy
    def _build_hierarchy(self) -> None:
        tasks, n = self.plan.tasks, self.n
        parent = np.full(n, -1, dtype=np.int64)
        children: dict[int, list[int]] = {}
        parent_uids = list(map(attrgetter("parent_uid"), tasks))
        nested = [i for i, uid in enumerate(parent_uids) if uid is not None]
        if nested:
            wanted = _uid_array((parent_uids[i] for i in nested), len(nested), "Parent uids")
            found = self.indices_of(wanted)
            if (found < 0).any():
                orphan = tasks[nested[int(np.flatnonzero(found < 0)[0])]]
                raise ScheduleError(f"Task '{orphan.name}' has an unknown parent task.")
            parent[nested] = found
            for i, p in zip(nested, found.tolist(), strict=True):
                children.setdefault(p, []).append(i)
        self.parent = parent
        self.summaries = sorted(children)
        self.children = {p: np.asarray(kids, dtype=np.int64) for p, kids in children.items()}
        self.has_children = np.zeros(n, dtype=bool)
        self.has_children[self.summaries] = True
        self.node_count = n + len(self.summaries)
        self.head = np.arange(n, dtype=np.int64)
        self.head[self.summaries] = n + np.arange(len(self.summaries))
        self.head_owner = np.asarray(self.summaries, dtype=np.int64)
        # Parent pointers with a sentinel slot (node_count / n) standing for "no parent".
        self.parent_head = np.where(self.parent >= 0, self.head[self.parent], self.node_count)
        self.parent_tail = np.where(self.parent >= 0, self.parent, n)

    def node_task(self, node: int) -> int:
        """The task index a node belongs to (a head belongs to its summary task)."""
        return node if node < self.n else int(self.head_owner[node - self.n])

    # ------------------------------------------------------------------ links
    def _build_links(self) -> None:
        links = self.plan.links
        m = len(links)
        pred_uids = _uid_array(map(attrgetter("predecessor_uid"), links), m, "Dependency uids")
        succ_uids = _uid_array(map(attrgetter("successor_uid"), links), m, "Dependency uids")
        self.link_pred = self.indices_of(pred_uids)
        self.link_succ_task = self.indices_of(succ_uids)
        unknown = np.flatnonzero((self.link_pred < 0) | (self.link_succ_task < 0))
        if unknown.size:
            link = links[int(unknown[0])]
            raise ScheduleError(
                f"A dependency refers to an unknown task "
                f"({link.predecessor_uid} → {link.successor_uid})."
            )
        self_links = np.flatnonzero(self.link_pred == self.link_succ_task)
        if self_links.size:
            task = self.plan.tasks[int(self.link_pred[self_links[0]])]
            raise ScheduleCycleError(
                f"Task '{task.name or task.uid}' depends on itself.", [task.uid]
            )
        self.link_succ = self.head[self.link_succ_task]  # links into a summary reach its head
        self.in_order, self.in_bounds = _csr(self.link_succ, self.node_count)
        self.out_order, self.out_bounds = _csr(self.link_pred, self.node_count)

    def links_into(self, node: int) -> np.ndarray:
        """Indices into ``plan.links`` of the links into ``node``, in plan order."""
        return self.in_order[self.in_bounds[node] : self.in_bounds[node + 1]]

    def links_out_of(self, node: int) -> np.ndarray:
        """Indices into ``plan.links`` of the links out of ``node``, in plan order."""
        return self.out_order[self.out_bounds[node] : self.out_bounds[node + 1]]

    # ------------------------------------------------------------------ waves
    def _edges(self) -> tuple[np.ndarray, np.ndarray]:
        child = np.flatnonzero(self.parent >= 0)
        src = np.concatenate(
            [self.link_pred, self.head[self.parent[child]], child]  # parent head → child head
        )
        dst = np.concatenate([self.link_succ, self.head[child], self.parent[child]])
        return src, dst  # ... and child tail → parent tail

    def _build_waves(self) -> None:
        src, dst = self._edges()
        size = self.node_count
        order, bounds = _csr(src, size)
        targets_by_source = dst[order]
        indegree = np.bincount(dst, minlength=size).astype(np.int64)
        waves: list[np.ndarray] = []
        current = np.flatnonzero(indegree == 0)
        placed = 0
        while current.size:
            waves.append(current)
            placed += current.size
            if len(waves) >= _NUMPY_WAVES_BEFORE_CHECK and placed < _NARROW_WAVE_SIZE * len(waves):
                waves.extend(self._python_waves(current, indegree, targets_by_source, bounds))
                placed = sum(w.size for w in waves)
                break
            starts = bounds[current]
            counts = bounds[current + 1] - starts
            total = int(counts.sum())
            if total == 0:
                break
            offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
            reached = targets_by_source[offsets + np.arange(total)]
            nodes, hits = np.unique(reached, return_counts=True)
            indegree[nodes] -= hits
            current = nodes[indegree[nodes] == 0]
        if placed < size:
            self._raise_cycle(indegree, targets_by_source, bounds)
        self.waves = waves
        self.order = np.concatenate(waves) if waves else np.zeros(0, dtype=np.int64)
        wave_of = np.empty(size, dtype=np.int64)
        wave_of[self.order] = np.repeat(np.arange(len(waves)), [w.size for w in waves])
        # Links grouped by the wave of their successor (forward) and predecessor (backward).
        self.forward_links, self.forward_bounds = _csr(wave_of[self.link_succ], len(waves))
        self.backward_links, self.backward_bounds = _csr(wave_of[self.link_pred], len(waves))
        is_head = np.zeros(size, dtype=bool)
        is_head[self.n :] = True
        is_tail = np.zeros(size, dtype=bool)
        is_tail[: self.n] = self.has_children
        self.wave_leaves = [w[~(is_head[w] | is_tail[w])] for w in waves]
        self.wave_tails = [w[is_tail[w]].tolist() for w in waves]
        self.wave_heads = [w[is_head[w]].tolist() for w in waves]

    @staticmethod
    def _python_waves(current, indegree, targets_by_source, bounds) -> list[np.ndarray]:
        """Layer the rest of a narrow, deep graph in plain Python."""
        remaining = indegree.tolist()
        targets = targets_by_source.tolist()
        starts = bounds.tolist()
        layer = current.tolist()
        waves: list[np.ndarray] = []
        while True:
            following: list[int] = []
            for node in layer:
                for k in range(starts[node], starts[node + 1]):
                    target = targets[k]
                    remaining[target] -= 1
                    if remaining[target] == 0:
                        following.append(target)
            if not following:
                break
            following.sort()
            waves.append(np.asarray(following, dtype=np.int64))
            layer = following
        indegree[:] = remaining
        return waves

    def _raise_cycle(self, indegree, targets_by_source, bounds) -> None:
        remaining = set(np.flatnonzero(indegree > 0).tolist())
        predecessors: dict[int, list[int]] = {node: [] for node in remaining}
        for node in remaining:
            for k in range(int(bounds[node]), int(bounds[node + 1])):
                target = int(targets_by_source[k])
                if target in remaining:
                    predecessors[target].append(node)
        # Every node left has a predecessor left, so walking backwards must come round.
        node = min(remaining)
        seen: dict[int, int] = {}
        walk: list[int] = []
        while node not in seen:
            seen[node] = len(walk)
            walk.append(node)
            node = min(predecessors[node])
        loop = list(reversed(walk[seen[node] :]))  # in dependency direction
        first = loop.index(min(loop, key=self.node_task))  # start at the earliest task
        loop = loop[first:] + loop[:first]
        uids: list[int] = []
        for node in loop:
            uid = self.plan.tasks[self.node_task(node)].uid
            if not uids or uids[-1] != uid:
                uids.append(uid)
        if len(uids) > 1 and uids[0] == uids[-1]:
            uids.pop()
        names = [self.plan.tasks[self.index_of[uid]].name or f"#{uid}" for uid in uids]
        if len(names) == 1:
            message = f"Task '{names[0]}' depends on itself through its summary task."
        else:
            message = f"Task '{names[0]}' depends on itself through " + " → ".join(
                f"'{name}'" for name in names[1:]
            )
        raise ScheduleCycleError(message, uids)
