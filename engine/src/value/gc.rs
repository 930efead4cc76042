//! Go's garbage collector for the values a render creates.
//!
//! Go maps and slices are references, so templates can build values that
//! contain themselves: `set $d "k" $d`, `set .Values "root" $`, a list
//! holding the map it is then stored in. Go's collector frees such cycles;
//! reference counts (`Rc`) alone never reach zero on them, so each render
//! that made one kept its memory for the life of the process — the page's
//! worker renders on every keystroke, and the template_ast fuzz target ran
//! out of memory after 90,573 renders (issue 19).
//!
//! Every map and list is created through [`new_map`]/[`new_list`], which
//! remember a weak reference to it. [`collect`] (at the end of each render,
//! [`CollectOnDrop`]) finds the remembered values that only other
//! remembered values hold — trial deletion, as CPython's cycle collector
//! does: a value's strong count minus the references from the other
//! values is what holds it from outside; whatever is not reachable from a
//! value held from outside is garbage, and emptying it breaks its cycles.
//! A value held by anything else (the caller's chart, a local, an
//! `Object`) counts as held from outside, so nothing in use is touched.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use super::{ListRef, Map, MapRef, Value};

#[derive(Default)]
struct Heap {
    maps: Vec<Weak<RefCell<Map>>>,
    lists: Vec<Weak<RefCell<Vec<Value>>>>,
    /// Length at which dead entries are dropped (twice the live ones after
    /// the last pruning), so remembering stays amortised O(1) per value and
    /// the registry about twice the size of what is alive.
    prune_at: usize,
}

const MIN_PRUNE: usize = 1024;

impl Heap {
    fn remembered(&mut self) {
        if self.maps.len() + self.lists.len() >= self.prune_at.max(MIN_PRUNE) {
            self.prune();
        }
    }

    fn prune(&mut self) {
        self.maps.retain(|w| w.strong_count() > 0);
        self.lists.retain(|w| w.strong_count() > 0);
        self.prune_at = 2 * (self.maps.len() + self.lists.len());
    }
}

thread_local! {
    static HEAP: RefCell<Heap> = RefCell::new(Heap::default());
}

/// A new shared map, remembered for [`collect`].
pub fn new_map(m: Map) -> MapRef {
    let r = Rc::new(RefCell::new(m));
    let _ = HEAP.try_with(|h| {
        if let Ok(mut h) = h.try_borrow_mut() {
            h.maps.push(Rc::downgrade(&r));
            h.remembered();
        }
    });
    r
}

/// A new shared list, remembered for [`collect`].
pub fn new_list(v: Vec<Value>) -> ListRef {
    let r = Rc::new(RefCell::new(v));
    let _ = HEAP.try_with(|h| {
        if let Ok(mut h) = h.try_borrow_mut() {
            h.lists.push(Rc::downgrade(&r));
            h.remembered();
        }
    });
    r
}

/// The maps and lists directly inside a value's contents.
fn children<'a>(vals: impl Iterator<Item = &'a Value>, mut f: impl FnMut(*const ())) {
    for v in vals {
        match v {
            Value::Map(m, _) => f(Rc::as_ptr(m) as *const ()),
            Value::List(l, _) => f(Rc::as_ptr(l) as *const ()),
            _ => {}
        }
    }
}

/// Frees the maps and lists that only hold each other (cycles nothing else
/// reaches); returns how many it emptied.
pub fn collect() -> usize {
    let Ok((maps, lists)) = HEAP.try_with(|h| {
        let Ok(mut h) = h.try_borrow_mut() else { return (Vec::new(), Vec::new()) };
        h.prune();
        let maps: Vec<MapRef> = h.maps.iter().filter_map(Weak::upgrade).collect();
        let lists: Vec<ListRef> = h.lists.iter().filter_map(Weak::upgrade).collect();
        (maps, lists)
    }) else {
        return 0;
    };
    let nm = maps.len();
    let n = nm + lists.len();
    if n == 0 {
        return 0;
    }
    let ptr_of = |i: usize| -> *const () {
        if i < nm {
            Rc::as_ptr(&maps[i]) as *const ()
        } else {
            Rc::as_ptr(&lists[i - nm]) as *const ()
        }
    };
    let index: HashMap<*const (), usize> = (0..n).map(|i| (ptr_of(i), i)).collect();
    // References from outside the remembered values: the strong count less
    // this function's own and less those from other remembered values. A
    // value borrowed right now is in use: held from outside.
    let mut outside: Vec<isize> = (0..nm)
        .map(|i| Rc::strong_count(&maps[i]) as isize - 1)
        .chain(lists.iter().map(|l| Rc::strong_count(l) as isize - 1))
        .collect();
    let each_child = |i: usize, f: &mut dyn FnMut(usize)| -> bool {
        let mut g = |p: *const ()| {
            if let Some(&j) = index.get(&p) {
                f(j)
            }
        };
        if i < nm {
            let Ok(m) = maps[i].try_borrow() else { return false };
            children(m.values(), &mut g);
        } else {
            let Ok(l) = lists[i - nm].try_borrow() else { return false };
            children(l.iter(), &mut g);
        }
        true
    };
    let mut busy = Vec::new();
    for i in 0..n {
        if !each_child(i, &mut |j| outside[j] -= 1) {
            busy.push(i);
        }
    }
    for i in busy {
        outside[i] = isize::MAX;
    }
    // Everything reachable from a value held from outside stays.
    let mut live = vec![false; n];
    let mut stack: Vec<usize> = (0..n).filter(|&i| outside[i] > 0).collect();
    for &i in &stack {
        live[i] = true;
    }
    while let Some(i) = stack.pop() {
        each_child(i, &mut |j| {
            if !live[j] {
                live[j] = true;
                stack.push(j);
            }
        });
    }
    // The rest is garbage: empty it (its contents are dropped after every
    // borrow has ended, which frees the cycle).
    let mut dead_maps = Vec::new();
    let mut dead_lists = Vec::new();
    for i in (0..n).filter(|&i| !live[i]) {
        if i < nm {
            if let Ok(mut m) = maps[i].try_borrow_mut() {
                dead_maps.push(std::mem::take(&mut *m));
            }
        } else if let Ok(mut l) = lists[i - nm].try_borrow_mut() {
            dead_lists.push(std::mem::take(&mut *l));
        }
    }
    let freed = dead_maps.len() + dead_lists.len();
    drop(maps);
    drop(lists);
    drop(dead_maps);
    drop(dead_lists);
    freed
}

/// Runs [`collect`] when dropped: declared first in a render's function, it
/// runs after the render's own locals are gone, on every return path.
pub struct CollectOnDrop;

impl Drop for CollectOnDrop {
    fn drop(&mut self) {
        collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_value(m: &MapRef) -> Value {
        Value::Map(m.clone(), super::super::MapType::ANY)
    }

    #[test]
    fn frees_a_map_holding_itself_and_keeps_what_is_held() {
        let held = new_map(Map::new());
        let inner = new_list(vec![Value::int(1)]);
        held.borrow_mut().insert("l".into(), Value::List(inner.clone(), super::super::ListType::ANY));
        let weak = {
            let d = new_map(Map::new());
            d.borrow_mut().insert("self".into(), map_value(&d));
            // The garbage points to the held map: that must not free it.
            let garbage_list = new_list(vec![map_value(&d), map_value(&held)]);
            d.borrow_mut().insert("l".into(), Value::List(garbage_list, super::super::ListType::ANY));
            Rc::downgrade(&d)
        };
        assert!(weak.strong_count() > 0, "the cycle keeps itself");
        assert!(collect() >= 2);
        assert_eq!(weak.strong_count(), 0, "collect frees the cycle");
        // What a local holds, and what it reaches, is untouched.
        assert_eq!(held.borrow().len(), 1);
        assert_eq!(inner.borrow().len(), 1);
        // A cycle still held from outside stays whole.
        let kept = new_map(Map::new());
        kept.borrow_mut().insert("self".into(), map_value(&kept));
        collect();
        assert!(kept.borrow().contains_key("self"));
        kept.borrow_mut().clear();
    }

    /// A Go struct holding a map (as `.Files` or `.Capabilities` hold values).
    struct Holder(MapRef);

    impl super::super::Object for Holder {
        fn type_name(&self) -> String {
            "*test.Holder".into()
        }
        fn field(&self, _name: &str) -> Option<Value> {
            Some(map_value(&self.0))
        }
        fn format_v(&self) -> String {
            String::new()
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn keeps_a_cycle_an_object_holds() {
        let d = new_map(Map::new());
        d.borrow_mut().insert("self".into(), map_value(&d));
        let list = new_list(vec![map_value(&d)]);
        d.borrow_mut().insert("l".into(), Value::List(list, super::super::ListType::ANY));
        let object = Value::Object(Rc::new(Holder(d.clone())));
        let weak = Rc::downgrade(&d);
        drop(d);
        collect();
        let Value::Object(o) = &object else { unreachable!() };
        let Some(Value::Map(m, _)) = o.field("x") else { panic!("the holder's map") };
        assert_eq!(m.borrow().len(), 2, "a cycle an Object holds stays whole");
        let Some(Value::List(l, _)) = m.borrow().get("l").cloned() else { panic!("the list") };
        assert_eq!(l.borrow().len(), 1, "and so does what it reaches");
        drop((l, m));
        drop(object);
        collect();
        assert_eq!(weak.strong_count(), 0, "once the Object is gone the cycle is freed");
    }
}
