/* handles.pml — a Promela model of gpureg's shared hot-path protocol, checked exhaustively by spin
 * (tests/model/check.sh runs it; tests/model/README.md gives the bounds, the properties, and maps
 * every step onto the C and Go code).
 *
 * Modelled: create (pool_reserve, the generation bump, the native stored before the word's
 * release store), retain and release (the CAS loops of src/core/handles.c, and of go/fastpath.go
 * with its fall-back to the C call), the push of a slot released to zero on the release inbox (a
 * Treiber stack through the per-slot link array), the owner's drain (one exchange, then the walk
 * that reverses the list onto the FIFO retire queue), destruction (retire_pop_due at any later
 * step: the fence only delays), pool_recycle (FREE onto the FIFO free list, RETIRED at the last
 * generation) and reuse, and resolve (load the word, test it, load the native, re-read the word;
 * the slow path's identity compare).
 *
 * Atomicity: every step that touches memory another thread touches is one C (or Go) atomic
 * operation: a load, a store, a CAS (one atomic { } that compares the whole word and writes it,
 * or fails and hands back the current word), or the inbox exchange. Such a step may carry the
 * thread's own local computation and ghost bookkeeping, never a second shared access. Ghost
 * variables (gnative, created, zeroed, ...) record what really happened; the protocol never
 * reads them (one exception, marked: a client's choice to repeat a release it already made).
 *
 * Switches (spin -D...):
 *   NO_REREAD     resolve without the re-read of the word: must FAIL property (a).
 *   LANG0, LANG1  client 0 / client 1 runs the C loops (0, handles.c) or the Go fast path (1,
 *                 fastpath.go), which falls back to the C call on a miss as go/refs.go and
 *                 go/queries.go do.
 *   MUTANT=1, 2   a deliberately broken protocol that must FAIL: 1, the drain loads the inbox
 *                 and stores 0 instead of exchanging it (a release is lost: (b), (c)); 2, the C
 *                 retain increments with a load and a plain store, no CAS (a revival: (d)).
 *   NS MAXGEN K MAXCREATE   the bounds (README.md). */

#ifndef MUTANT
#define MUTANT 0
#endif

#ifndef NS
#define NS 2 /* slots */
#endif
#ifndef MAXGEN
#define MAXGEN 3 /* GPUREG_MAX_GENERATION of the model: a slot retires after its third object */
#endif
#ifndef K
#define K 2 /* operations per client (retain, release, resolve) before its final releases */
#endif
#ifndef MAXCREATE
#define MAXCREATE 3 /* objects the owner creates */
#endif
#ifndef LANG0
#define LANG0 0
#endif
#ifndef LANG1
#define LANG1 1
#endif
#define NC 2 /* client threads */
#define LANG_C 0
#define LANG_GO 1

/* The state word in one byte: refcount bits 0..2, state bits 3..4, generation bits 5..6. The C
 * word's other fields (type, tag, GC and adopted bits) are one constant for every object here. */
#define RC_MASK 7
#define RC_MAX 7 /* WORD_RC_MAX = GPUREG_FP_WORD_RC_MASK */
#define ST_SHIFT 3
#define GEN_SHIFT 5
#define FREE 0
#define ALIVE 1
#define RELEASED 2
#define RETIRED 3
#define RC(w) ((w) & RC_MASK)
#define ST(w) (((w) >> ST_SHIFT) & 3)
#define GEN(w) ((w) >> GEN_SHIFT)
#define MK(rc, st, gen) ((rc) | ((st) << ST_SHIFT) | ((gen) << GEN_SHIFT))
#define IDENT(w) ((w) & ~RC_MASK) /* WORD_IDENTITY_MASK: all but the refcount */
/* names_alive / word_is_alive_for / alive(): handle (slot s, generation g) names the word's
 * ALIVE object (the C test compares generation, type, tag and state in one XOR). */
#define ALIVE_FOR(w, g) (ST(w) == ALIVE && GEN(w) == (g))

/* Probes: with GPUREG_MODEL_PROBE=n in its environment, pan fails at point n: check.sh requires
 * it to get there (an interleaving the bounds must contain), so that the model cannot pass by
 * never reaching the races it is about. Unset (or 0), the probes do nothing. */
c_decl { int probe_point; } /* C state of pan, not of the model: set once, read only */
#define REACHED(n) if :: c_expr { probe_point == n } -> assert(false) :: else -> skip fi

#define NOBJ (NS * (MAXGEN + 1))
#define OBJ(s, g) ((s) * (MAXGEN + 1) + (g)) /* ghost key of the object (slot, generation) */
#define GIFT(c, s) ((c) * NS + (s))

/* ---- the protocol's shared memory -------------------------------------------------------- */
byte word[NS];   /* gpureg__slot.word */
byte native[NS]; /* gpureg__slot.native */
byte link[NS];   /* pool_link(): inbox link, retire-queue link and free-list link in turn */
byte inbox;      /* a release shard's inbox: index + 1 of the newest pushed, 0 = empty */

/* ---- the application: how clients learn handles (not part of the protocol) -------------- */
byte pub[NS];       /* the newest handle (its generation) of each slot, for anyone to read */
byte gift[NC * NS]; /* the creation reference of a slot's new object, handed to one client */
bit owner_done;     /* the owner creates nothing more */
byte clients_done;

/* ---- ghost state ------------------------------------------------------------------------- */
byte gnative[NOBJ]; /* the native the owner stored for object (s, g) */
bit created[NOBJ];
bit zeroed[NOBJ];   /* a release took its refcount to 0 */
bit pushed[NOBJ];   /* its slot was pushed on the inbox */
bit drained[NOBJ];  /* the owner took it from the inbox onto the retire queue */
bit destroyed[NOBJ];
byte grc[NOBJ];     /* references really held on it */
byte cur_gen[NS];   /* generation of the object last created in the slot */
byte nzeroed, npushed, nextid = 1;

/* ==== the any-thread calls (handles.c, retire.c: retire_push, fastpath.go) =================== */

/* Ghost side of a retain CAS that succeeded on object (s, g), word w -> w + 1: property (d). */
inline retain_ghost() {
    assert(cur_gen[s] == g && !zeroed[OBJ(s, g)] && !destroyed[OBJ(s, g)] && grc[OBJ(s, g)] > 0); /* (d) */
    grc[OBJ(s, g)]++;
    assert(grc[OBJ(s, g)] == RC(w + 1))
}

/* handles.c retain(): alive_slot (load acquire + names_alive), then
 *   do { if rc == WORD_RC_MAX: OVERFLOW; if CAS_weak(word, &w, w + 1): OK } while names_alive(w) */
inline c_retain() {
    atomic { w = word[s]; if :: GEN(w) != g -> REACHED(10) :: else -> skip fi } /* stale: reused */
#if MUTANT == 2
    /* MUTANT 2: the increment as a load and a plain store, no CAS */
    if
    :: ALIVE_FOR(w, g) && RC(w) < RC_MAX -> atomic { retain_ghost(); word[s] = w + 1; ok = 1 }
    :: else -> skip
    fi
#else
    do
    :: atomic { !ok && ALIVE_FOR(w, g) && RC(w) < RC_MAX ->
        if
        :: word[s] == w -> retain_ghost(); word[s] = w + 1; ok = 1
        :: word[s] == w -> skip    /* compare_exchange_weak fails spuriously: w unchanged */
        :: else -> w = word[s];    /* fails: w is the word it found */
            if :: ST(w) == RELEASED && GEN(w) == g -> REACHED(5) :: else -> skip fi /* the last release won */
        fi }
    :: else -> break
    od
#endif
}

/* fastpath.go (*fastPath).retain:
 *   for w := Load(word); alive(w, h, key) && rc(w) < max; w = Load(word) { if CAS(word, w, w+1) { true } } */
inline go_retain() {
    w = word[s];
    do
    :: atomic { !ok && ALIVE_FOR(w, g) && RC(w) < RC_MAX ->
        if
        :: word[s] == w -> retain_ghost(); word[s] = w + 1; ok = 1
        :: else -> skip
        fi }
        if :: !ok -> w = word[s] :: else -> skip fi
    :: else -> break
    od
}

/* refs.go Retain: the fast path, else the C call. */
inline retain() {
    if
    :: lang == LANG_GO -> go_retain(); if :: !ok -> c_retain() :: else -> skip fi
    :: else -> c_retain()
    fi
}

/* The word a release CAS writes: w - 1, made RELEASED when that is rc 0. */
#define RELEASE_NEXT(w) (RC((w) - 1) == 0 -> (((w) - 1) & ~(3 << ST_SHIFT)) | (RELEASED << ST_SHIFT) : (w) - 1)

/* Ghost side of a release CAS that succeeded on object (s, g), w -> next. */
inline release_ghost() {
    assert(cur_gen[s] == g && !zeroed[OBJ(s, g)] && !destroyed[OBJ(s, g)] && grc[OBJ(s, g)] > 0 && RC(w) > 0);
    grc[OBJ(s, g)]--;
    assert(grc[OBJ(s, g)] == RC(next));
    if
    :: RC(next) == 0 -> zeroed[OBJ(s, g)] = 1; nzeroed++
    :: else -> skip
    fi
}

/* Ghost side of the inbox CAS that queues object (s, g): property (c), at most one push. */
inline push_ghost() {
    assert(zeroed[OBJ(s, g)] && !pushed[OBJ(s, g)]);
    pushed[OBJ(s, g)] = 1;
    npushed++
}

/* The link store of a push, folded into the push's CAS: no other thread reads link[s] before
 * that CAS puts s on the inbox, and the slot is in none of the owner's lists (it is the ALIVE
 * object this thread just took to 0: not pushed, not drained, not destroyed). */
inline push_link_ghost() {
    assert(cur_gen[s] == g && zeroed[OBJ(s, g)] && !pushed[OBJ(s, g)] && !drained[OBJ(s, g)] &&
           !destroyed[OBJ(s, g)])
}

/* retire.c retire_push: head = load(inbox); do { *link = head } while (!CAS_weak(inbox, &head, i + 1)) */
inline c_push() {
    head = inbox;
    do
    :: atomic { !ok2 ->
        push_link_ghost(); link[s] = head;
        if
        :: inbox == head -> push_ghost(); inbox = s + 1; ok2 = 1
        :: inbox == head -> REACHED(2) /* spurious failure */
        :: else ->
            if
            :: inbox == 0 -> REACHED(3)  /* lost to the owner's exchange */
            :: else -> REACHED(11)       /* lost to another push */
            fi;
            head = inbox
        fi }
    :: else -> break
    od
}

/* fastpath.go (*fastPath).queue: for { head := Load(inbox); Store(link, head); if CAS(inbox, head, i+1) { return } } */
inline go_push() {
    do
    :: !ok2 -> head = inbox;
        atomic {
            push_link_ghost(); link[s] = head;
            if
            :: inbox == head -> push_ghost(); inbox = s + 1; ok2 = 1
            :: else -> REACHED(4)
            fi }
    :: else -> break
    od
}

/* handles.c release(): alive_slot with GPUREG_FP_ALIVE_KEY, then
 *   do { next = w - 1 (RELEASED at 0); if CAS_weak(word, &w, next) { if rc(next) == 0: retire_push; OK } }
 *   while names_alive(w)
 * The thread whose CAS took rc to 0, and only it, pushes the slot. */
inline c_release() {
    w = word[s];
    do
    :: atomic { !ok && ALIVE_FOR(w, g) ->
        next = RELEASE_NEXT(w);
        if
        :: word[s] == w -> release_ghost(); word[s] = next; ok = 1
        :: word[s] == w -> skip /* spurious failure */
        :: else -> w = word[s]
        fi }
    :: else -> break
    od;
    if :: ok && RC(next) == 0 -> c_push() :: else -> skip fi
}

/* fastpath.go (*fastPath).release: for w := Load(word); alive(w, h, fpAliveKey); w = Load(word) {
 *   next := w - 1 (RELEASED at 0); if CAS(word, w, next) { if last { queue }; true } } */
inline go_release() {
    w = word[s];
    do
    :: atomic { !ok && ALIVE_FOR(w, g) ->
        next = RELEASE_NEXT(w);
        if
        :: word[s] == w -> release_ghost(); word[s] = next; ok = 1
        :: else -> skip
        fi }
        if :: !ok -> w = word[s] :: else -> skip fi
    :: else -> break
    od;
    if :: ok && RC(next) == 0 -> go_push() :: else -> skip fi
}

/* refs.go Release: the fast path, else the C call. */
inline release() {
    if
    :: lang == LANG_GO -> go_release(); if :: !ok -> c_release() :: else -> skip fi
    :: else -> c_release()
    fi
}

/* A resolve of handle (s, g) answers n: property (a). */
inline resolved() {
    assert(n == gnative[OBJ(s, g)]); /* (a) the native of the object the handle names, no other's */
#ifndef NO_REREAD
    assert(!zeroed[OBJ(s, g)] && !destroyed[OBJ(s, g)]); /* (a') that object was ALIVE at the answer */
#endif
    ok = 1
}

/* The hit path, in C (handles.c resolve_hit) and Go (fastpath.go resolve) alike:
 *   w = load_acquire(word); if alive(w): n = load(native); fence; if load(word) == w: answer n */
inline resolve_hit() {
    w = word[s];
    if
    :: ALIVE_FOR(w, g) ->
#ifdef NO_REREAD
        atomic { n = native[s]; resolved() }
#else
        n = native[s];
        atomic {
            w2 = word[s];
            if
            :: w2 == w -> resolved()
            :: else -> if :: GEN(w2) != GEN(w) -> REACHED(7) :: else -> skip fi /* reused meanwhile */
            fi }
#endif
    :: else -> skip
    fi
}

/* handles.c resolve_slow: while (alive_slot(&w)) { n = load(native); fence; again = load(word);
 *   if identity(again) == identity(w): answer n } — then the error. */
inline resolve_slow() {
    do
    :: !ok -> w = word[s];
        if
        :: !ALIVE_FOR(w, g) -> break
        :: else ->
#ifdef NO_REREAD
            atomic { n = native[s]; resolved() }
#else
            n = native[s];
            atomic { w2 = word[s]; if :: IDENT(w2) == IDENT(w) -> resolved(); REACHED(6) :: else -> skip fi }
#endif
        fi
    :: else -> break
    od
}

/* gpureg_resolve = resolve_hit, on a miss resolve_slow; queries.go resolve = the Go hit path,
 * on a miss the C call (gpureg_resolve). */
inline resolve() {
    tries = (lang == LANG_GO -> 2 : 1); /* Go's hit path first, then gpureg_resolve's */
    do
    :: !ok && tries > 0 ->
        resolve_hit();
        if :: ok && tries == 1 && lang == LANG_GO -> REACHED(9) :: else -> skip fi; /* Go missed, C hit */
        tries--
    :: else -> break
    od;
    if :: !ok -> resolve_slow() :: else -> skip fi
}

/* The client's operations. */
#define OP_NONE 0
#define OP_RELEASE 1 /* release a reference it holds: never fails */
#define OP_AGAIN 2   /* release again what it released to 0 already: fails, nothing pushed twice */
#define OP_RETAIN 3  /* through a handle held or not, current or stale */
#define OP_RESOLVE 4
#define OP_DONE 5

/* The client's locals back to 0 after an operation, so that dead values do not split states. */
#define CLEAR op = OP_NONE; w = 0; w2 = 0; n = 0; next = 0; head = 0; tries = 0; ok = 0; ok2 = 0; holder = 0; g = 0; s = 0

/* Take the creation reference handed to this client for slot s. It may hold references on that
 * object already (retained through pub), but none on an earlier object of the slot. */
inline claim() {
    assert(refs[s] == 0 || hgen[s] == gift[GIFT(c, s)]);
    hgen[s] = gift[GIFT(c, s)]; refs[s]++; gift[GIFT(c, s)] = 0
}

/* A client thread: holds the references handed to it or taken by retain, and calls release,
 * retain and resolve on its handles and on the newest handle of a slot; at its end it releases
 * every reference it holds. */
proctype Client(byte c; bit lang) {
    byte ops, op, s, g, w, w2, n, next, head, tries;
    byte hgen[NS]; /* the handle it knows in each slot (its generation; 0: none) */
    byte refs[NS]; /* the references it holds on that handle's object */
    bit ok, ok2, holder, fin;

    do
    :: atomic { /* choose the next operation (the app's part: reads gift, pub and, for OP_AGAIN, a ghost) */
        if
        :: !fin && ops < K ->
            select (s : 0 .. NS - 1);
            if
            :: gift[GIFT(c, s)] != 0 -> claim(); s = 0
            :: refs[s] > 0 -> g = hgen[s]; op = OP_RELEASE
            :: refs[s] == 0 && hgen[s] != 0 && zeroed[OBJ(s, hgen[s])] -> g = hgen[s]; op = OP_AGAIN
            :: hgen[s] != 0 -> g = hgen[s]; op = OP_RETAIN
            :: hgen[s] != 0 -> g = hgen[s]; op = OP_RESOLVE
            :: pub[s] != 0 && pub[s] != hgen[s] -> g = pub[s]; op = OP_RETAIN
            :: pub[s] != 0 && pub[s] != hgen[s] -> g = pub[s]; op = OP_RESOLVE
            :: else -> s = 0
            fi
        :: !fin -> fin = 1; ops = 0 /* its last operation: it may stop at any point */
        :: fin && owner_done -> /* the end: take what was handed over, release all it holds */
            for (s : 0 .. NS - 1) {
                if :: gift[GIFT(c, s)] != 0 -> claim() :: else -> skip fi
            }
            s = 0;
            do
            :: s < NS && refs[s] == 0 -> s++
            :: else -> break
            od;
            if
            :: s < NS -> g = hgen[s]; op = OP_RELEASE
            :: else -> s = 0; op = OP_DONE
            fi
        fi;
        holder = (refs[s] > 0 && hgen[s] == g) }
    if
    :: op == OP_NONE -> skip
    :: op == OP_DONE -> break
    :: op == OP_RELEASE || op == OP_AGAIN ->
        release();
        atomic {
            if
            :: op == OP_RELEASE -> assert(ok); refs[s]--
            :: else -> assert(!ok) /* (c) a release after 0 fails */
            fi;
            ops = ops + (fin -> 0 : 1);
            CLEAR }
    :: op == OP_RETAIN ->
        retain();
        atomic {
            if
            :: ok -> assert(refs[s] == 0 || hgen[s] == g); hgen[s] = g; refs[s]++
            :: else -> assert(!holder || RC(w) == RC_MAX) /* a holder's retain fails only on overflow */
            fi;
            ops++;
            CLEAR }
    :: op == OP_RESOLVE ->
        resolve();
        atomic { assert(ok || !holder); ops++; CLEAR } /* a holder's resolve never fails */
    fi
    od;
    clients_done++
}

/* ==== the owner thread (objects.c, pool.c, retire.c, destroy.c) ============================== */

/* The owner's steps that no other thread can see are folded into its next step that another
 * thread can see (a store to a word or a native, the inbox exchange). Invisible: every access to
 * link[] (clients never read a link, and write only the link of the slot they are pushing, which
 * is in none of the owner's lists: asserted at that write, push_link_ghost), and loads of a word
 * that is FREE or RELEASED (clients write a word only by a CAS from an ALIVE value). */

#define OCLEAR idx = 0; gen = 0; list = 0; first = 0; last = 0; next = 0; w = 0; c = 0

/* objects.c make_object: pool_reserve; gen = word_gen(load(word)) + 1; store native; pool_take;
 * store_release(word, ALIVE rc 1 gen). The handle is then handed over (the app's part). */
inline create() {
    atomic {
        /* pool.c pool_reserve: the FIFO free list's head, else the next never-used slot */
        if
        :: free_head != 0 -> idx = free_head - 1
        :: else -> idx = count
        fi;
        gen = GEN(word[idx]) + 1;
        assert(gen <= MAXGEN && ST(word[idx]) == FREE);
        native[idx] = nextid; /* visible: a reader holding an older handle may load it */
        gnative[OBJ(idx, gen)] = nextid; nextid++ }
    atomic {
        /* pool.c pool_take */
        if
        :: free_head == idx + 1 ->
            free_head = link[idx];
            if :: free_head == 0 -> free_tail = 0 :: else -> skip fi;
            link[idx] = 0
        :: else -> count = idx + 1
        fi;
        assert(!created[OBJ(idx, gen)]);
        created[OBJ(idx, gen)] = 1; grc[OBJ(idx, gen)] = 1; cur_gen[idx] = gen;
        word[idx] = MK(1, ALIVE, gen); /* visible: the release store that publishes the object */
        /* the app: publish the handle, hand the creation reference to one client */
        pub[idx] = gen;
        if
        :: c = 0
        :: c = 1
        fi;
        assert(gift[GIFT(c, idx)] == 0);
        gift[GIFT(c, idx)] = gen;
        ncre++;
        OCLEAR }
}

/* retire.c retire_drain + take_inbox: the plain load and the exchange (acquire), then the walk
 * that reverses the newest-first list and appends it to the retire queue (head, tail, links). */
inline drain() {
#if MUTANT == 1
    /* MUTANT 1: a load and a store of 0 instead of the exchange: a push in between is lost */
    atomic { inbox != 0 -> list = inbox; first = 0; last = list }
    inbox = 0;
#else
    atomic { inbox != 0 -> list = inbox; inbox = 0; first = 0; last = list }
#endif
    atomic {
        do
        :: list == 0 -> break
        :: else ->
            idx = list - 1;
            w = word[idx]; /* take_inbox reads the word for the type */
            assert(ST(w) == RELEASED && pushed[OBJ(idx, GEN(w))] && !drained[OBJ(idx, GEN(w))]);
            drained[OBJ(idx, GEN(w))] = 1;
            next = link[idx];
            if :: next != 0 -> REACHED(8) :: else -> skip fi; /* two releases in one take */
            link[idx] = first;
            first = list;
            list = next
        od;
        if
        :: rtail != 0 -> link[rtail - 1] = first
        :: else -> rhead = first
        fi;
        rtail = last;
        OCLEAR }
}

/* retire.c retire_pop_due (the fence decides only when: FIFO either way), destroy.c
 * object_destroy, then pool.c pool_recycle: the word stored FREE (or RETIRED at the last
 * generation), the slot appended to the FIFO free list. Property (b). */
inline destroy_one() {
    atomic {
        idx = rhead - 1;
        rhead = link[idx];
        if :: rhead == 0 -> rtail = 0 :: else -> skip fi;
        w = word[idx];
        assert(ST(w) == RELEASED && RC(w) == 0);      /* (b) only after the refcount reached 0 */
        assert(zeroed[OBJ(idx, GEN(w))] && pushed[OBJ(idx, GEN(w))] && drained[OBJ(idx, GEN(w))] &&
               grc[OBJ(idx, GEN(w))] == 0);            /* ... and after its release was drained */
        assert(!destroyed[OBJ(idx, GEN(w))]);          /* (b) exactly once */
        destroyed[OBJ(idx, GEN(w))] = 1;
        gen = GEN(word[idx]); /* pool_recycle loads it again */
        if
        :: gen >= MAXGEN -> word[idx] = MK(0, RETIRED, gen); REACHED(1) /* retired for good */
        :: else ->
            word[idx] = MK(0, FREE, gen); /* visible: stale readers see FREE from here on */
            link[idx] = 0;
            if
            :: free_tail != 0 -> link[free_tail - 1] = idx + 1
            :: else -> free_head = idx + 1
            fi;
            free_tail = idx + 1
        fi;
        OCLEAR }
}

proctype Owner() {
    byte free_head, free_tail, count; /* the pool: FIFO free list (index + 1), slots used so far */
    byte rhead, rtail;                /* the retire queue (index + 1) */
    byte idx, gen, list, first, last, next, w, c, ncre;

    do
    :: ncre < MAXCREATE && (free_head != 0 || count < NS) -> create()
    :: drain()
    :: rhead != 0 -> destroy_one()
    :: break /* the owner may stop creating at any point */
    od;
    owner_done = 1;

    /* lifecycle.c drain_everything, once the clients are done: drain, destroy all queued */
    clients_done == NC;
    if
    :: drain()
    :: else -> skip
    fi;
    do
    :: rhead != 0 -> destroy_one()
    :: else -> break
    od;

    /* The end: (b) every object released to 0 was destroyed exactly once and none is left
     * queued; (c) pushes == releases to zero, each drained once; every reference came back. */
    assert(inbox == 0 && rhead == 0 && rtail == 0);
    assert(npushed == nzeroed && nzeroed == ncre);
    for (idx : 0 .. NOBJ - 1) {
        assert(created[idx] == zeroed[idx] && zeroed[idx] == pushed[idx] && pushed[idx] == drained[idx] &&
               drained[idx] == destroyed[idx] && grc[idx] == 0)
    }
}

init {
    c_code { const char *e = getenv("GPUREG_MODEL_PROBE"); probe_point = e ? atoi(e) : 0; };
    atomic {
        run Owner();
        run Client(0, LANG0);
        run Client(1, LANG1)
    }
}
