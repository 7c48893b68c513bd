//! The engine memory budget (wasm32 only). The global allocator is dlmalloc, the allocator
//! std uses on wasm32, but over a page source that refuses to grow the wasm memory past
//! the budget of the current call. Capping the growth itself (rather than counting live
//! bytes) bounds what the host sees, `memory.buffer.byteLength`, exactly: a live-bytes cap
//! of 96 MiB still let fragmentation grow the memory to 132 MiB (a progressive JPEG then
//! `rotate,90`). Every byte comes from here: Rust's, the glue's, and libwebp's C `malloc`
//! (`codec/cshim.rs` sits on Rust's allocator).
//!
//! A refusal reaches the caller in one of two ways: a fallible path (`try_reserve`)
//! returns an error, or an infallible one aborts (traps) through `handle_alloc_error`.
//! Either way [`REFUSED`] says so; `wasm.rs` reads it after an error, and the JS wrappers
//! read it through `__ossimgBudgetExceeded` after a trap.

use std::alloc::{GlobalAlloc, Layout};
use std::arch::wasm32::{memory_grow, memory_size};
use std::cell::UnsafeCell;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use dlmalloc::{Allocator, Dlmalloc};

// One thread, no reentrancy (dlmalloc and the page source never allocate): the heap is
// only ever borrowed by one allocator call at a time. Relaxed atomics are plain loads
// and stores on wasm32 without threads.
const _: () = assert!(
    !cfg!(target_feature = "atomics"),
    "the allocator assumes a single-threaded wasm32 build"
);

const PAGE: usize = 64 * 1024;

/// Pages the memory had before the heap first grew (static data and the shadow stack);
/// 0 until then.
static BASE_PAGES: AtomicUsize = AtomicUsize::new(0);
/// Most bytes the heap may take beyond [`BASE_PAGES`]; `usize::MAX` outside a budgeted
/// call (the glue copying arguments in, `probe`, `parse`).
static BUDGET: AtomicUsize = AtomicUsize::new(usize::MAX);
/// A growth was refused since [`begin`].
static REFUSED: AtomicBool = AtomicBool::new(false);

/// Starts a call: the memory may not grow beyond the heap `budget` (`None`: no cap) until
/// [`end`]. Memory an earlier call already grew stays usable: wasm memory never shrinks.
pub fn begin(budget: Option<usize>) {
    REFUSED.store(false, Relaxed);
    BUDGET.store(budget.unwrap_or(usize::MAX), Relaxed);
}

/// Ends a call: lifts the cap and returns whether a growth was refused during it.
pub fn end() -> bool {
    BUDGET.store(usize::MAX, Relaxed);
    REFUSED.swap(false, Relaxed)
}

/// Whether a growth was refused in a call that has not ended: after a trap, the instance's
/// memory still holds the flag (read without allocating or using the stack).
pub fn refused() -> bool {
    REFUSED.load(Relaxed)
}

/// dlmalloc's wasm32 page source (`memory.grow`), with the budget check in front.
struct CappedPages;

impl CappedPages {
    fn within_budget(&self, pages: usize) -> bool {
        let now = memory_size(0);
        let base = match BASE_PAGES.load(Relaxed) {
            0 => {
                BASE_PAGES.store(now, Relaxed);
                now
            }
            base => base,
        };
        let heap_bytes = now
            .checked_add(pages)
            .and_then(|total| total.checked_sub(base))
            .and_then(|heap| heap.checked_mul(PAGE));
        heap_bytes.is_some_and(|bytes| bytes <= BUDGET.load(Relaxed))
    }
}

// SAFETY: `alloc` hands out fresh pages from `memory.grow` (zeroed, never handed out
// twice) or null; nothing is ever released, remapped or split, as dlmalloc's own wasm32
// source does.
unsafe impl Allocator for CappedPages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let pages = size.div_ceil(PAGE);
        if !self.within_budget(pages) {
            REFUSED.store(true, Relaxed);
            return (ptr::null_mut(), 0, 0);
        }
        let previous = memory_grow(0, pages);
        let (Some(start), Some(len)) = (previous.checked_mul(PAGE), pages.checked_mul(PAGE)) else {
            return (ptr::null_mut(), 0, 0);
        };
        // A region ending exactly at 4 GiB would make its end pointer wrap: keep 16 bytes back.
        let len = if start.checked_add(len).is_none() {
            len - 16
        } else {
            len
        };
        (start as *mut u8, len, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

struct BudgetAllocator(UnsafeCell<Dlmalloc<CappedPages>>);

// SAFETY: single-threaded wasm32 (asserted above): no other thread can reach the heap.
unsafe impl Sync for BudgetAllocator {}

#[global_allocator]
static ALLOCATOR: BudgetAllocator =
    BudgetAllocator(UnsafeCell::new(Dlmalloc::new_with_allocator(CappedPages)));

impl BudgetAllocator {
    /// The heap, for the duration of one allocator call.
    ///
    /// # Safety
    /// No other borrow may be alive: true with one thread and no reentrancy.
    #[allow(clippy::mut_from_ref)]
    unsafe fn heap(&self) -> &mut Dlmalloc<CappedPages> {
        // SAFETY: the caller's contract.
        unsafe { &mut *self.0.get() }
    }
}

// SAFETY: each method forwards the caller's arguments to dlmalloc, whose methods have the
// GlobalAlloc contracts; a refused growth makes them return null, which the contract allows.
unsafe impl GlobalAlloc for BudgetAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one allocator call at a time; the caller's contract for `alloc`.
        unsafe { self.heap().malloc(layout.size(), layout.align()) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe { self.heap().calloc(layout.size(), layout.align()) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `alloc`; `ptr` came from this heap with `layout`.
        unsafe { self.heap().free(ptr, layout.size(), layout.align()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `dealloc`.
        unsafe {
            self.heap()
                .realloc(ptr, layout.size(), layout.align(), new_size)
        }
    }
}
