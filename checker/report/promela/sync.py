"""Promela for the synchronisation rules (model/sync.py): channels, select, mutexes,
WaitGroups.

An operation leaves its outcome in `sy_res` (R_CONTINUE, R_PARK, R_FATAL, R_CLOSED,
R_YIELD), as the Python methods return it. A queue entry is `WAITER(g, case)`, which is
g * 256 + case + 1, the model's own encoding. Loops that wake Gs first copy the queue
they walk (`close`, `wg_add`), as the Python code iterates over the old tuple.
"""

SYNC = r"""
/* ---- model/sync.py ---- */
hidden int sy_res, sy_e, rl_g, rl_case, rl_ix, rl_target, uq_k, uq_ch, uq_r, uq_w;
hidden int cl_n, cl_i, un_g, wa_c, wa_n, wa_i, wa_g, sp_k;
hidden int cl_q[QCAP], wa_q[MAXG];

#define Q_DROP_G(q, base, n, g) /* remove every entry of G g, keeping the order */ \
    uq_r = 0; uq_w = 0; \
    do \
    :: uq_r < n -> \
        if \
        :: q[(base) + uq_r] / 256 != g -> q[(base) + uq_w] = q[(base) + uq_r]; uq_w++ \
        :: else -> skip \
        fi; \
        uq_r++ \
    :: else -> break \
    od; \
    do \
    :: n > uq_w -> n--; q[(base) + n] = 0 \
    :: else -> break \
    od

inline unqueue(g, ix) {  /* a select waiter leaves the queues of all its channels */
    uq_k = 0;
    do
    :: uq_k < c_c[ix] ->
        uq_ch = k_chan[c_a[ix] + uq_k];
        Q_DROP_G(ch_sendq, uq_ch * QCAP, ch_slen[uq_ch], g);
        Q_DROP_G(ch_recvq, uq_ch * QCAP, ch_rlen[uq_ch], g);
        uq_k++
    :: else -> break
    od
}

inline release(p, entry, closed) {  /* Sync._release: complete a queued channel waiter */
    rl_g = (entry) / 256;
    rl_case = (entry) % 256 - 1;
    rl_ix = GIX(rl_g);
    if
    :: rl_case >= 0 -> unqueue(rl_g, rl_ix); rl_target = k_target[c_a[rl_ix] + rl_case]
    :: else ->
        if
        :: (closed) && c_op[rl_ix] == OP_RANGE -> rl_target = c_b[rl_ix]
        :: else -> rl_target = g_pc[rl_g] + 1
        fi
    fi;
    wake(p, rl_g, rl_target)
}

inline chan_send(p, g, ch, cs) {
    if
    :: ch_closed[ch] -> fatal = FATAL_SEND_CLOSED; sy_res = R_FATAL
    :: else ->
        if
        :: ch_rlen[ch] > 0 ->
            Q_POP(ch_recvq, (ch) * QCAP, ch_rlen[ch], sy_e); release(p, sy_e, 0);
            sy_res = R_CONTINUE
        :: else ->
            if
            :: ch_count[ch] < chan_cap[ch] -> ch_count[ch]++; sy_res = R_CONTINUE
            :: else -> Q_PUSH(ch_sendq, (ch) * QCAP, ch_slen[ch], WAITER(g, cs)); sy_res = R_PARK
            fi
        fi
    fi
}

inline chan_recv(p, g, ch, cs) {
    if
    :: ch_count[ch] > 0 ->
        if
        :: ch_slen[ch] > 0 -> Q_POP(ch_sendq, (ch) * QCAP, ch_slen[ch], sy_e); release(p, sy_e, 0)
        :: else -> ch_count[ch]--
        fi;
        sy_res = R_CONTINUE
    :: else ->
        if
        :: ch_slen[ch] > 0 ->
            Q_POP(ch_sendq, (ch) * QCAP, ch_slen[ch], sy_e); release(p, sy_e, 0);
            sy_res = R_CONTINUE
        :: else ->
            if
            :: ch_closed[ch] -> sy_res = R_CLOSED
            :: else -> Q_PUSH(ch_recvq, (ch) * QCAP, ch_rlen[ch], WAITER(g, cs)); sy_res = R_PARK
            fi
        fi
    fi
}

inline chan_close(p, ch) {
    if
    :: ch_closed[ch] -> fatal = FATAL_CLOSE_CLOSED; sy_res = R_FATAL
    :: else ->
        if
        :: ch_slen[ch] > 0 -> fatal = FATAL_CLOSE_SENDERS; sy_res = R_FATAL
        :: else ->
            ch_closed[ch] = 1;
            cl_n = 0;
            do
            :: ch_rlen[ch] > 0 -> Q_POP(ch_recvq, (ch) * QCAP, ch_rlen[ch], cl_q[cl_n]); cl_n++
            :: else -> break
            od;
            cl_i = 0;
            do
            :: cl_i < cl_n ->
                if  /* a select waiter may have left already */
                :: g_status[cl_q[cl_i] / 256] == WAITING -> release(p, cl_q[cl_i], 1)
                :: else -> skip
                fi;
                cl_i++
            :: else -> break
            od;
            sy_res = R_CONTINUE
        fi
    fi
}

inline select_park(g, ix) {  /* no case ready, no default: park on every channel */
    sp_k = 0;
    do
    :: sp_k < c_c[ix] ->
        if
        :: k_send[c_a[ix] + sp_k] ->
            Q_PUSH(ch_sendq, k_chan[c_a[ix] + sp_k] * QCAP, ch_slen[k_chan[c_a[ix] + sp_k]],
                   WAITER(g, sp_k))
        :: else ->
            Q_PUSH(ch_recvq, k_chan[c_a[ix] + sp_k] * QCAP, ch_rlen[k_chan[c_a[ix] + sp_k]],
                   WAITER(g, sp_k))
        fi;
        sp_k++
    :: else -> break
    od
}

inline mutex_lock(g, mu) {
    if
    :: !mu_held[mu] -> mu_held[mu] = 1; sy_res = R_CONTINUE
    :: else -> Q_PUSH(mu_wait, (mu) * MAXG, mu_len[mu], g); sy_res = R_PARK
    fi
}

inline mutex_unlock(p, mu) {  /* starvation mode: hand the mutex over, then yield */
    if
    :: !mu_held[mu] -> fatal = FATAL_UNLOCK; sy_res = R_FATAL
    :: else ->
        if
        :: mu_len[mu] > 0 ->
            Q_POP(mu_wait, (mu) * MAXG, mu_len[mu], un_g);
            wake(p, un_g, g_pc[un_g] + 1);
            sy_res = R_YIELD
        :: else -> mu_held[mu] = 0; sy_res = R_CONTINUE
        fi
    fi
}

inline wg_add(p, wg, delta) {
    wa_c = wg_count[wg] + (delta);
    if
    :: wa_c > WG_LIMIT -> wa_c = WG_LIMIT
    :: else -> skip
    fi;
    if
    :: wa_c < 0 -> fatal = FATAL_NEGATIVE_WG; sy_res = R_FATAL
    :: else ->
        if
        :: wa_c == 0 && wg_len[wg] > 0 ->
            wg_count[wg] = 0;
            wa_n = 0;
            do
            :: wg_len[wg] > 0 -> Q_POP(wg_wait, (wg) * MAXG, wg_len[wg], wa_q[wa_n]); wa_n++
            :: else -> break
            od;
            wa_i = 0;
            do
            :: wa_i < wa_n -> wa_g = wa_q[wa_i]; wake(p, wa_g, g_pc[wa_g] + 1); wa_i++
            :: else -> break
            od
        :: else -> wg_count[wg] = wa_c
        fi;
        sy_res = R_CONTINUE
    fi
}

inline wg_wait_op(g, wg) {
    if
    :: wg_count[wg] == 0 -> sy_res = R_CONTINUE
    :: else -> Q_PUSH(wg_wait, (wg) * MAXG, wg_len[wg], g); sy_res = R_PARK
    fi
}
"""
