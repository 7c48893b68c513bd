//! The libc symbols libwebp's C code imports when built for wasm32-unknown-unknown, which
//! has no libc: the allocator (on top of Rust's), `qsort`, and stdio as no-ops. Without
//! them the module would import them from "env" and fail to load. `memcpy`, `memset` and
//! the maths functions already come from Rust's compiler-builtins.
//!
//! On wasm32, C variadic arguments arrive as one pointer to a buffer, so the printf family
//! is declared with a trailing `*mut c_void`.

use std::alloc::{alloc, alloc_zeroed, dealloc, realloc as grow, Layout};
use std::ffi::{c_char, c_int, c_void};
use std::ptr;

/// Bytes in front of every block, holding its size; 16 keeps the alignment malloc promises.
const HEADER: usize = 16;

fn block_layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

/// A block of `size` usable bytes behind a size header, or null.
fn allocate(size: usize, zeroed: bool) -> *mut c_void {
    let Some(layout) = block_layout(size) else {
        return ptr::null_mut();
    };
    // SAFETY: the layout is at least HEADER bytes, never zero-sized.
    let base = unsafe {
        if zeroed {
            alloc_zeroed(layout)
        } else {
            alloc(layout)
        }
    };
    if base.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `base` is 16-aligned and valid for HEADER bytes, enough for a usize; the
    // user part starts HEADER bytes in, inside the same allocation.
    unsafe {
        base.cast::<usize>().write(size);
        base.add(HEADER).cast()
    }
}

/// The start and layout of the block behind a pointer `allocate` returned.
///
/// # Safety
/// `p` must come from `allocate` (through malloc, calloc or realloc) and not be freed.
unsafe fn block_of(p: *mut c_void) -> Option<(*mut u8, Layout)> {
    // SAFETY: by the contract, the header sits HEADER bytes before `p` in the same block.
    let base = unsafe { p.cast::<u8>().sub(HEADER) };
    // SAFETY: `allocate` wrote the size there.
    let size = unsafe { base.cast::<usize>().read() };
    Some((base, block_layout(size)?))
}

#[unsafe(no_mangle)]
pub extern "C" fn malloc(size: usize) -> *mut c_void {
    allocate(size, false)
}

#[unsafe(no_mangle)]
pub extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    match count.checked_mul(size) {
        Some(total) => allocate(total, true),
        None => ptr::null_mut(),
    }
}

/// # Safety
/// `p` is null or a live block from malloc/calloc/realloc.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn realloc(p: *mut c_void, size: usize) -> *mut c_void {
    if p.is_null() {
        return allocate(size, false);
    }
    // SAFETY: the caller passes a live block of ours.
    let Some((base, layout)) = (unsafe { block_of(p) }) else {
        return ptr::null_mut();
    };
    let Some(new_layout) = block_layout(size) else {
        return ptr::null_mut();
    };
    // SAFETY: `base` was allocated with `layout`; the new size is non-zero and valid for
    // a layout of the same alignment.
    let base = unsafe { grow(base, layout, new_layout.size()) };
    if base.is_null() {
        // C semantics: the old block stays valid.
        return ptr::null_mut();
    }
    // SAFETY: as in `allocate`.
    unsafe {
        base.cast::<usize>().write(size);
        base.add(HEADER).cast()
    }
}

/// # Safety
/// `p` is null or a live block from malloc/calloc/realloc.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: the caller passes a live block of ours.
    if let Some((base, layout)) = unsafe { block_of(p) } {
        // SAFETY: `base` was allocated with exactly this layout.
        unsafe { dealloc(base, layout) }
    }
}

type Compare = unsafe extern "C" fn(*const c_void, *const c_void) -> c_int;

/// Heap sort: in place, O(n log n), no allocation.
///
/// # Safety
/// `base` points to `count` elements of `size` bytes; `compare` orders two of them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qsort(
    base: *mut c_void,
    count: usize,
    size: usize,
    compare: Option<Compare>,
) {
    let Some(compare) = compare else {
        return;
    };
    if base.is_null() || size == 0 || count < 2 {
        return;
    }
    let base = base.cast::<u8>();
    // `heap_sort` calls these closures only with indices below `count`.
    // SAFETY: `i < count`, so `i * size` stays inside the caller's array, which cannot
    // exceed the address space.
    let at = |i: usize| unsafe { base.add(i * size) };
    // SAFETY: both pointers are elements of the caller's array, which is what the caller's
    // `compare` is declared to order.
    let less = |a: usize, b: usize| unsafe { compare(at(a).cast(), at(b).cast()) } < 0;
    // SAFETY: both are `size`-byte elements inside the array, and `heap_sort` never swaps
    // an index with itself, so the two ranges do not overlap.
    let swap = |a: usize, b: usize| unsafe { ptr::swap_nonoverlapping(at(a), at(b), size) };
    heap_sort(count, less, swap);
}

/// Sorts indices `0..count` through `less` and `swap` (never called with equal indices).
fn heap_sort(
    count: usize,
    mut less: impl FnMut(usize, usize) -> bool,
    mut swap: impl FnMut(usize, usize),
) {
    for start in (0..count / 2).rev() {
        sift_down(start, count, &mut less, &mut swap);
    }
    for end in (1..count).rev() {
        swap(0, end);
        sift_down(0, end, &mut less, &mut swap);
    }
}

/// Moves the element at `root` down the max-heap `0..end` to its place.
fn sift_down(
    mut root: usize,
    end: usize,
    less: &mut impl FnMut(usize, usize) -> bool,
    swap: &mut impl FnMut(usize, usize),
) {
    while let Some(mut child) = root.checked_mul(2).and_then(|c| c.checked_add(1)) {
        if child >= end {
            break;
        }
        if child + 1 < end && less(child, child + 1) {
            child += 1;
        }
        if !less(root, child) {
            break;
        }
        swap(root, child);
        root = child;
    }
}

/// `stderr` is only ever passed back to the no-op `fprintf`/`fwrite`.
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
pub static stderr: usize = 0;

#[unsafe(no_mangle)]
pub extern "C" fn fprintf(
    _stream: *mut c_void,
    _format: *const c_char,
    _args: *mut c_void,
) -> c_int {
    0
}

#[unsafe(no_mangle)]
pub extern "C" fn fwrite(
    _data: *const c_void,
    _size: usize,
    _count: usize,
    _stream: *mut c_void,
) -> usize {
    0
}

/// Writes an empty string, so callers that print the buffer see a valid C string.
///
/// # Safety
/// `buf` is null or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn snprintf(
    buf: *mut c_char,
    len: usize,
    _format: *const c_char,
    _args: *mut c_void,
) -> c_int {
    if len > 0 && !buf.is_null() {
        // SAFETY: `buf` holds at least one byte.
        unsafe { buf.write(0) }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn heap_sort_sorts() {
        let mut v = vec![5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
        let mut expected = v.clone();
        expected.sort();
        let cell = std::cell::RefCell::new(&mut v);
        heap_sort(
            expected.len(),
            |a, b| cell.borrow()[a] < cell.borrow()[b],
            |a, b| cell.borrow_mut().swap(a, b),
        );
        assert_eq!(v, expected);
    }

    #[wasm_bindgen_test]
    fn qsort_sorts_c_arrays() {
        unsafe extern "C" fn by_value(a: *const c_void, b: *const c_void) -> c_int {
            // SAFETY: qsort passes pointers to two u32 elements of the array.
            let (a, b) = unsafe { (a.cast::<u32>().read(), b.cast::<u32>().read()) };
            a.cmp(&b) as c_int
        }
        let mut v: Vec<u32> = (0..100).map(|i| (i * 7919) % 101).collect();
        // SAFETY: `v` holds 100 elements of 4 bytes.
        unsafe { qsort(v.as_mut_ptr().cast(), v.len(), 4, Some(by_value)) };
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }

    #[wasm_bindgen_test]
    fn allocator_round_trip() {
        let p = calloc(3, 5).cast::<u8>();
        assert!(!p.is_null());
        assert_eq!(p as usize % 16, 0);
        // SAFETY: 15 zeroed bytes were allocated; realloc keeps them.
        unsafe {
            assert!((0..15).all(|i| *p.add(i) == 0));
            p.write(7);
            let q = realloc(p.cast(), 1000).cast::<u8>();
            assert_eq!(*q, 7);
            free(q.cast());
        }
        assert!(calloc(usize::MAX, 2).is_null());
    }
}
