"""Promela for the scheduler rules (model/sched.py) and a goroutine's own progress
(model/goroutine.py): queues, runqput, wakep, handoff, execute, settle, move_to.

Each inline mirrors the Python function of the same name line by line; arguments are
scratch variables or constants (an inline re-reads an argument expression at every use, so
callers never pass one that the inline's own effects could change). Scratch variables are
`hidden`: not part of the state vector, written before they are read within one step.
"""

SCHED = r"""
/* ---- queues: an array and a length; a freed slot is zeroed (one encoding per state).
   Macros, not inlines: an inline cannot take an array as an argument. ---- */
hidden int q_i;

#define Q_PUSH(q, base, n, v) \
    q[(base) + n] = v; \
    n++

#define Q_POP(q, base, n, out) /* the head (FIFO) */ \
    out = q[(base)]; \
    q_i = 1; \
    do \
    :: q_i < n -> q[(base) + q_i - 1] = q[(base) + q_i]; q_i++ \
    :: else -> break \
    od; \
    n--; \
    q[(base) + n] = 0

#define Q_POP_TOP(q, n, out) /* the top (LIFO: idle Ps, idle Ms) */ \
    n--; \
    out = q[n]; \
    q[n] = 0

/* ---- model/sched.py ---- */
hidden int rq_kick, rq_j, rq_x, wk_m, wk_p, hf_m, gb_take, gb_j, gb_x;

inline runqput(p, g, next) {  /* next = 0: goyield, straight to the ring's tail */
    if
    :: RUNNEXT_ON && (next) && (SYSMON_ON || RUNNEXT_WITHOUT_SYSMON) ->
        rq_kick = p_runnext[p]; p_runnext[p] = g
    :: else -> rq_kick = g
    fi;
    if
    :: rq_kick != NO ->
        if
        :: p_ringlen[p] < RUNQ -> Q_PUSH(p_ring, (p) * RUNQ, p_ringlen[p], rq_kick)
        :: else ->
            rq_j = 0;
            do
            :: rq_j < RUNQ / 2 ->
                Q_POP(p_ring, (p) * RUNQ, p_ringlen[p], rq_x);
                Q_PUSH(gq, 0, gq_len, rq_x);
                rq_j++
            :: else -> break
            od;
            Q_PUSH(gq, 0, gq_len, rq_kick)
        fi
    :: else -> skip
    fi
}

inline ready(p, g) {
    g_status[g] = RUNNABLE;
    runqput(p, g, 1);
    wakep()
}

inline available_m(out) {  /* mget or newm: the top parked M, else the lowest unborn one */
    if
    :: midle_len > 0 -> out = midle[midle_len - 1]
    :: else ->
        out = 0;
        do
        :: out < THREADS && m_state[out] != M_UNBORN -> out++
        :: else -> break
        od;
        if
        :: out == THREADS -> out = NO
        :: else -> skip
        fi
    fi
}

inline startm(m, p, spinning) {
    if
    :: midle_len > 0 && midle[midle_len - 1] == m -> midle_len--; midle[midle_len] = 0
    :: else -> skip
    fi;
    m_state[m] = M_SEARCH; m_p[m] = p; m_g[m] = NO; m_spin[m] = spinning;
    p_status[p] = P_RUNNING; p_m[p] = m
}

inline set_needspinning() {  /* the flag exists with recheck = needspinning only */
    if
    :: RECHECK_MODE == RECHECK_NEEDSPINNING -> needspin = 1
    :: else -> skip
    fi
}

inline wakep() {
    if
    :: WAKEP_ON && NSPIN == 0 ->
        if
        :: pidle_len > 0 -> available_m(wk_m)
        :: else -> wk_m = NO
        fi;
        if
        :: wk_m == NO -> set_needspinning()
        :: else -> Q_POP_TOP(pidle, pidle_len, wk_p); startm(wk_m, wk_p, 1)
        fi
    :: else -> skip
    fi
}

inline pidleput(p) {
    p_status[p] = P_IDLE; p_m[p] = NO; p_slice[p] = 0;
    Q_PUSH(pidle, 0, pidle_len, p)
}

inline park_m(m) {
    m_state[m] = M_PARKED; m_p[m] = NO; m_g[m] = NO; m_spin[m] = 0;
    Q_PUSH(midle, 0, midle_len, m)
}

inline handoffp(p) {
    if
    :: HAS_WORK(p) || gq_len > 0 -> available_m(hf_m); startm(hf_m, p, 0)
    :: else ->
        if
        :: NSPIN == 0 && pidle_len == 0 -> available_m(hf_m); startm(hf_m, p, 1); needspin = 0
        :: else -> pidleput(p)
        fi
    fi
}

inline execute(m, p, g, inherit) {
    g_status[g] = RUNNING; g_preempt[g] = 0;
    m_state[m] = M_RUNNING; m_p[m] = p; m_g[m] = g;
    if
    :: !(inherit) -> p_tick[p] = NEXT_TICK(p_tick[p]); p_slice[p] = 0
    :: else -> skip
    fi
}

inline resetspinning(m) {
    if
    :: m_spin[m] ->
        m_spin[m] = 0;
        if
        :: NSPIN == 0 -> wakep()
        :: else -> skip
        fi
    :: else -> skip
    fi
}

inline become_spinning(m) {
    m_spin[m] = 1;
    needspin = 0
}

inline global_batch(p, out) {  /* max(1, min(runq/2, n, n/procs + 1)): the first runs */
    gb_take = gq_len / PROCS + 1;
    if :: gq_len < gb_take -> gb_take = gq_len :: else -> skip fi;
    if :: RUNQ / 2 < gb_take -> gb_take = RUNQ / 2 :: else -> skip fi;
    if :: gb_take < 1 -> gb_take = 1 :: else -> skip fi;
    Q_POP(gq, 0, gq_len, out);
    gb_j = 1;
    do
    :: gb_j < gb_take ->
        Q_POP(gq, 0, gq_len, gb_x); Q_PUSH(p_ring, (p) * RUNQ, p_ringlen[p], gb_x); gb_j++
    :: else -> break
    od
}

inline slice_tick(p) {
    if
    :: p_slice[p] < TIMESLICE -> p_slice[p]++
    :: else -> skip
    fi
}

/* ---- model/goroutine.py ---- */
hidden int st_pc, st_ix, kg_i;
hidden byte st_called, mv_alive;

inline settle(g, start) {  /* through jumps, calls and loop tests to an action or END */
    st_pc = start;
    st_called = 0;
    do
    :: st_ix = fbase[g_func[g]] + st_pc;
        if
        :: c_op[st_ix] == OP_JUMP -> st_pc = c_a[st_ix]
        :: c_op[st_ix] == OP_CALL -> st_pc++; st_called = 1
        :: c_op[st_ix] == OP_LOOP_TEST ->
            if
            :: g_ctr[(g) * LOOPS + c_a[st_ix]] < c_b[st_ix] -> st_pc++
            :: else -> g_ctr[(g) * LOOPS + c_a[st_ix]] = 0; st_pc = c_c[st_ix]
            fi
        :: c_op[st_ix] == OP_LOOP_NEXT -> g_ctr[(g) * LOOPS + c_a[st_ix]]++; st_pc = c_b[st_ix]
        :: else -> break
        fi
    od
}

inline kill_g(g) {  /* dead_g: a dead G keeps only its function */
    g_status[g] = DEAD; g_pc[g] = 0; g_left[g] = 0; g_preempt[g] = 0;
    kg_i = 0;
    do
    :: kg_i < LOOPS -> g_ctr[(g) * LOOPS + kg_i] = 0; kg_i++
    :: else -> break
    od
}

inline new_g(g, f, status) {
    g_func[g] = f;
    settle(g, 0);
    st_ix = fbase[f] + st_pc;
    if
    :: c_op[st_ix] == OP_END -> kill_g(g)
    :: else ->
        g_status[g] = status; g_pc[g] = st_pc;
        if
        :: st_called && c_op[st_ix] == OP_SPIN -> g_left[g] = AT_CALL
        :: else -> g_left[g] = 0
        fi
    fi
}

inline move_to(g, target) {  /* mv_alive: the G did not finish */
    settle(g, target);
    st_ix = fbase[g_func[g]] + st_pc;
    if
    :: c_op[st_ix] == OP_END ->
        kill_g(g);
        if
        :: (g) == 0 -> ended = 1
        :: else -> skip
        fi;
        mv_alive = 0
    :: else ->
        g_pc[g] = st_pc;
        if
        :: st_called && c_op[st_ix] == OP_SPIN -> g_left[g] = AT_CALL
        :: else -> g_left[g] = 0
        fi;
        mv_alive = 1
    fi
}

inline wake(p, g, target) {
    move_to(g, target);
    if
    :: mv_alive -> ready(p, g)
    :: else -> skip
    fi
}
"""
