"""Delta debugging of a differing program: over the template's tree (drop
items of a sequence, replace a node by one of its simpler forms), then
over the values tree and the --set lines, keeping every step that still
shows the same kind of difference (output vs output, error vs error,
output vs error...)."""
import copy

import sides


def outcome_kind(h, c):
    return (h[0], c[0])


class Budget(Exception):
    pass


class Minimiser:
    def __init__(self, check, max_tests=400):
        """check(template_text, values_vnode, sets) -> (helm, chartroom) outcomes."""
        self.check = check
        self.max_tests = max_tests
        self.tests = 0

    def differs(self, tree, values, sets, want):
        self.tests += 1
        if self.tests > self.max_tests:
            raise Budget()
        h, c = self.check(tree.text(), values, sets)
        return not sides.same(h, c) and outcome_kind(h, c) == want

    def run(self, tree, values, sets, want):
        tree = copy.deepcopy(tree)
        values = copy.deepcopy(values)
        sets = list(sets)
        try:
            changed = True
            while changed:
                changed = self._tree(tree, tree, values, sets, want)
                changed |= self._values(tree, values, values, sets, want)
                changed |= self._sets(tree, values, sets, want)
        except Budget:
            pass
        return tree, values, sets

    def _tree(self, root, node, values, sets, want):
        changed = False
        if node.seq:
            changed |= self._drop_items(root, node.parts, values, sets, want)
        # Simpler forms of this node, in order.
        for alt in list(node.alts):
            saved = (node.parts, node.alts, node.seq)
            if isinstance(alt, str):
                node.parts, node.alts, node.seq = [alt], [], False
            else:
                node.parts, node.alts, node.seq = list(alt.parts), list(alt.alts), alt.seq
            if self.differs(root, values, sets, want):
                changed = True
                break
            node.parts, node.alts, node.seq = saved
        for p in list(node.parts):
            if not isinstance(p, str):
                changed |= self._tree(root, p, values, sets, want)
        return changed

    def _drop_items(self, root, items, values, sets, want):
        """ddmin-style: drop chunks of halving size."""
        changed = False
        size = max(1, len(items) // 2)
        while size >= 1 and items:
            i = 0
            while i < len(items):
                saved = items[i:i + size]
                del items[i:i + size]
                if self.differs(root, values, sets, want):
                    changed = True
                else:
                    items[i:i] = saved
                    i += size
            size //= 2
        return changed

    def _values(self, tree, root, node, sets, want):
        changed = False
        if node.kind in ("m", "l") and node.items:
            changed |= self._drop_items_v(tree, root, node.items, sets, want)
            for it in list(node.items):
                child = it[1] if node.kind == "m" else it
                changed |= self._values(tree, root, child, sets, want)
        return changed

    def _drop_items_v(self, tree, root, items, sets, want):
        changed = False
        i = 0
        while i < len(items):
            saved = items[i]
            del items[i]
            if self.differs(tree, root, sets, want):
                changed = True
            else:
                items.insert(i, saved)
                i += 1
        return changed

    def _sets(self, tree, values, sets, want):
        changed = False
        i = 0
        while i < len(sets):
            saved = sets[i]
            del sets[i]
            if self.differs(tree, values, sets, want):
                changed = True
            else:
                sets.insert(i, saved)
                i += 1
        return changed
