"""Promela for the steps of model/machine.py: what each actor's step does once enabled.

One inline per kind of step (its enabling condition is a guard macro, see `process`). Every
step starts by reading its M, P and G into `cur_*` scratch variables, as the Python rules
capture them before editing the world.
"""

STEPS = r"""
/* ---- model/machine.py: an M running a G ---- */
hidden int cur_m, cur_p, cur_g, cur_ix, cur_op, cur_pc, cur_left, cur_a, cur_k, cur_t;
hidden int cur_child, cur_old, sy_target;

inline begin_running(m) {
    cur_m = m; cur_p = m_p[m]; cur_g = m_g[m]; cur_ix = GIX(cur_g); cur_pc = g_pc[cur_g]
}

inline finish_or_park(target) {  /* target NO_PC: the G parked */
    if
    :: target == NO_PC -> g_status[cur_g] = WAITING; m_state[cur_m] = M_SEARCH; m_g[cur_m] = NO
    :: else ->
        move_to(cur_g, target);
        if
        :: !mv_alive -> m_state[cur_m] = M_SEARCH; m_g[cur_m] = NO
        :: else -> skip
        fi
    fi
}

inline gosched_wakep() {  /* goschedImpl's wakep (Go >= 1.22) */
    if
    :: GOSCHED_WAKEP -> wakep()
    :: else -> skip
    fi
}

inline m_preempt(m) {  /* gopreempt_m: to the global queue, wakep, schedule */
    begin_running(m);
    g_status[cur_g] = RUNNABLE; g_preempt[cur_g] = 0;
    Q_PUSH(gq, 0, gq_len, cur_g);
    m_state[cur_m] = M_SEARCH; m_g[cur_m] = NO;
    gosched_wakep()
}

inline syscall_step() {  /* entersyscall; entersyscallblock hands the P off at once */
    g_status[cur_g] = SYSCALL; g_left[cur_g] = c_a[cur_ix];
    m_state[cur_m] = M_SYSCALL;
    p_status[cur_p] = P_SYSCALL;
    if
    :: c_b[cur_ix] && HANDOFF_ON && HANDOFF_POSSIBLE(cur_p) ->
        p_m[cur_p] = NO; m_p[cur_m] = NO; handoffp(cur_p)
    :: else -> skip
    fi
}

/* One inline per kind of G step: a d_step may hold at most 2048 jumps, so each opcode
   gets a step (and a guard) of its own rather than one step dispatching on all of them. */
inline g_step(m) {  /* a step of the running G uses its P's slice */
    begin_running(m);
    slice_tick(cur_p)
}

inline tick_step() {  /* work or spin: a tick; the last one completes the statement */
    cur_left = g_left[cur_g];
    if
    :: cur_left <= 0 -> cur_left = c_a[cur_ix]  /* 0 or AT_CALL: not started yet */
    :: else -> skip
    fi;
    cur_left--;
    if
    :: cur_left > 0 -> g_left[cur_g] = cur_left
    :: else -> finish_or_park(cur_pc + 1)
    fi
}

inline go_step() {
    assert(ng < MAXG);  /* the goroutine bound of the export */
    cur_child = ng;
    ng++;
    new_g(cur_child, c_a[cur_ix], RUNNABLE);
    if
    :: g_status[cur_child] == RUNNABLE -> ready(cur_p, cur_child)
    :: else -> skip
    fi;
    finish_or_park(cur_pc + 1)
}

inline gosched_step() {
    move_to(cur_g, cur_pc + 1);
    if
    :: mv_alive -> g_status[cur_g] = RUNNABLE; Q_PUSH(gq, 0, gq_len, cur_g)
    :: else -> skip
    fi;
    m_state[cur_m] = M_SEARCH; m_g[cur_m] = NO;
    gosched_wakep()
}

/* Machine._sync_op, one operation per step kind: sy_res, and the pc to go on at */
inline sync_done() {
    if
    :: sy_res == R_PARK -> finish_or_park(NO_PC)
    :: sy_res == R_CONTINUE -> finish_or_park(sy_target)
    :: sy_res == R_YIELD -> goyield()
    :: else -> skip  /* R_FATAL: the program is over */
    fi
}

inline goyield() {  /* goyield_m: on to the ring's tail, no wakep; the M schedules */
    move_to(cur_g, sy_target);
    if
    :: mv_alive -> g_status[cur_g] = RUNNABLE; runqput(cur_p, cur_g, 0)
    :: else -> skip
    fi;
    m_state[cur_m] = M_SEARCH; m_g[cur_m] = NO
}

inline send_step() { sy_target = cur_pc + 1; chan_send(cur_p, cur_g, c_a[cur_ix], -1); sync_done() }
inline close_step() { sy_target = cur_pc + 1; chan_close(cur_p, c_a[cur_ix]); sync_done() }
inline lock_step() { sy_target = cur_pc + 1; mutex_lock(cur_g, c_a[cur_ix]); sync_done() }
inline unlock_step() { sy_target = cur_pc + 1; mutex_unlock(cur_p, c_a[cur_ix]); sync_done() }
inline wgwait_step() { sy_target = cur_pc + 1; wg_wait_op(cur_g, c_a[cur_ix]); sync_done() }
inline wgadd_step() {
    sy_target = cur_pc + 1;
    wg_add(cur_p, c_a[cur_ix], c_b[cur_ix]);
    sync_done()
}

inline recv_step() {
    sy_target = cur_pc + 1;
    chan_recv(cur_p, cur_g, c_a[cur_ix], -1);
    if
    :: sy_res == R_CLOSED -> sy_res = R_CONTINUE
    :: else -> skip
    fi;
    sync_done()
}

inline range_step() {  /* closed and drained: leave the loop */
    sy_target = cur_pc + 1;
    chan_recv(cur_p, cur_g, c_a[cur_ix], -1);
    if
    :: sy_res == R_CLOSED -> sy_res = R_CONTINUE; sy_target = c_b[cur_ix]
    :: else -> skip
    fi;
    sync_done()
}

inline select_case_step(i) {  /* ready case i of a select */
    cur_k = c_a[cur_ix] + i;
    if
    :: k_send[cur_k] -> chan_send(cur_p, cur_g, k_chan[cur_k], -1)
    :: else -> chan_recv(cur_p, cur_g, k_chan[cur_k], -1); sy_res = R_CONTINUE
    fi;
    if
    :: sy_res != R_FATAL -> finish_or_park(k_target[cur_k])
    :: else -> skip
    fi
}

inline select_fallback_step() {  /* no case ready: default, else park on every channel */
    if
    :: c_b[cur_ix] >= 0 -> finish_or_park(c_b[cur_ix])
    :: else -> select_park(cur_g, cur_ix); finish_or_park(NO_PC)
    fi
}

/* ---- syscalls ---- */
inline m_syscall(m) {  /* a tick, or exitsyscall once the ticks are done */
    cur_m = m; cur_g = m_g[m];
    if
    :: g_left[cur_g] > 0 -> g_left[cur_g]--
    :: else ->
        cur_old = m_p[m];
        if
        :: cur_old != NO && p_status[cur_old] == P_SYSCALL && p_m[cur_old] == m -> cur_p = cur_old
        :: else ->
            if
            :: pidle_len > 0 -> cur_p = pidle[pidle_len - 1]
            :: else -> cur_p = NO
            fi
        fi;
        cur_pc = g_pc[cur_g];
        if
        :: cur_p == NO ->
            move_to(cur_g, cur_pc + 1);
            if
            :: mv_alive -> g_status[cur_g] = RUNNABLE; Q_PUSH(gq, 0, gq_len, cur_g)
            :: else -> skip
            fi;
            park_m(cur_m)
        :: else ->
            if
            :: cur_p != cur_old -> Q_POP_TOP(pidle, pidle_len, cur_t)
            :: else -> skip
            fi;
            p_status[cur_p] = P_RUNNING; p_m[cur_p] = cur_m;
            m_state[cur_m] = M_RUNNING; m_p[cur_m] = cur_p;
            g_status[cur_g] = RUNNING;
            move_to(cur_g, cur_pc + 1);
            if
            :: !mv_alive -> m_state[cur_m] = M_SEARCH; m_g[cur_m] = NO
            :: else -> skip
            fi
        fi
    fi
}

/* ---- schedule: search, give up, recheck ---- */
inline take(inherit) {  /* Machine._take once the G (cur_t) is out of its queue */
    execute(cur_m, cur_p, cur_t, inherit);
    resetspinning(cur_m)
}

inline m_search_take(m) {  /* the 1-in-global_check look, runnext, ring, global batch */
    cur_m = m; cur_p = m_p[m];
    if
    :: GLOBAL_FIRST(cur_p) -> Q_POP(gq, 0, gq_len, cur_t); take(0)
    :: else ->
        if
        :: p_runnext[cur_p] != NO -> cur_t = p_runnext[cur_p]; p_runnext[cur_p] = NO; take(1)
        :: else ->
            if
            :: p_ringlen[cur_p] > 0 -> Q_POP(p_ring, cur_p * RUNQ, p_ringlen[cur_p], cur_t)
            :: else -> global_batch(cur_p, cur_t)
            fi;
            take(0)
        fi
    fi
}

inline m_steal(m, q) {  /* runqsteal from victim q: half its ring (or one), else runnext */
    cur_m = m; cur_p = m_p[m];
    if
    :: !m_spin[m] -> become_spinning(m)
    :: else -> skip
    fi;
    if
    :: p_ringlen[q] == 0 -> cur_t = p_runnext[q]; p_runnext[q] = NO
    :: else ->
        if
        :: STEAL_ONE -> cur_k = 1
        :: else -> cur_k = p_ringlen[q] - p_ringlen[q] / 2
        fi;
        do
        :: cur_k > 1 ->
            Q_POP(p_ring, (q) * RUNQ, p_ringlen[q], cur_t);
            Q_PUSH(p_ring, cur_p * RUNQ, p_ringlen[cur_p], cur_t);
            cur_k--
        :: else -> break
        od;
        Q_POP(p_ring, (q) * RUNQ, p_ringlen[q], cur_t)
    fi;
    take(0)
}

inline m_search_fail(m) {  /* spinning, nothing to steal: on to give-up */
    if
    :: !m_spin[m] -> become_spinning(m)
    :: else -> skip
    fi;
    m_state[m] = M_GIVEUP
}

inline m_give_up(m) {  /* then, by recheck_order and recheck: Machine._release */
    cur_m = m; cur_p = m_p[m];
    if
    :: gq_len > 0 -> global_batch(cur_p, cur_t); take(0)
    :: !(gq_len > 0) && !m_spin[m] && needspin -> become_spinning(m); m_state[m] = M_SEARCH
    :: !(gq_len > 0) && m_spin[m] && RECHECK_FIRST ->  /* look while spinning, P held */
        if
        :: ANY_WORK -> m_state[m] = M_SEARCH
        :: else -> m_state[m] = M_RECHECK
        fi
    :: else ->
        pidleput(cur_p);
        if
        :: m_spin[m] -> m_state[m] = M_RECHECK; m_p[m] = NO; m_spin[m] = 0
        :: !m_spin[m] && RECHECK_MODE == RECHECK_ALL -> m_state[m] = M_RECHECK_IDLE; m_p[m] = NO
        :: else -> park_m(m)
        fi
    fi
}

inline m_stop_after_recheck(m) {  /* recheck_first's stop: no last look */
    cur_p = m_p[m];
    pidleput(cur_p);
    park_m(m)
}

inline m_recheck(m) {  /* an M that was spinning (RECHECK) takes the P back spinning */
    if
    :: ANY_WORK && pidle_len > 0 ->
        Q_POP_TOP(pidle, pidle_len, cur_p);
        p_status[cur_p] = P_RUNNING; p_m[cur_p] = m;
        if
        :: m_state[m] == M_RECHECK -> m_state[m] = M_SEARCH; m_p[m] = cur_p; become_spinning(m)
        :: else -> m_state[m] = M_SEARCH; m_p[m] = cur_p
        fi
    :: else ->
        if
        :: ANY_WORK -> set_needspinning()
        :: else -> skip
        fi;
        park_m(m)
    fi
}

/* ---- sysmon, the netpoller, the timers ---- */
inline sysmon_retake(p) {
    cur_m = p_m[p];
    p_m[p] = NO; m_p[cur_m] = NO;
    handoffp(p)
}

inline sysmon_preempt(p) {
    g_preempt[m_g[p_m[p]]] = 1
}

inline inject(g) {  /* injectglist: the global queue, and an idle P to a non-spinning M */
    move_to(g, g_pc[g] + 1);
    if
    :: mv_alive ->
        g_status[g] = RUNNABLE;
        Q_PUSH(gq, 0, gq_len, g);
        if
        :: pidle_len > 0 ->
            available_m(cur_m);
            if
            :: cur_m != NO -> Q_POP_TOP(pidle, pidle_len, cur_p); startm(cur_m, cur_p, 0)
            :: else -> skip
            fi
        :: else -> set_needspinning()  /* pidlegetSpinning's failure path */
        fi
    :: else -> skip
    fi
}
"""
