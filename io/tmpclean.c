/* tmpclean.c: temporaries removed when SIGINT, SIGTERM or SIGHUP kills the
 * process in the middle of a write, so that neither "NAME.tmp.XXXXXX" nor
 * an output directory's temporary sibling (with what is in it, and the
 * parents it created) is left behind.
 *
 * The one exception to sa35's rule of no state-holding globals: a signal
 * handler can reach nothing but static storage. The table below lists the
 * temporaries that exist right now, each with its owner (the sa35_outfile
 * or sa35_outdir that made it); the handler unlinks the files, rmdirs the
 * directories (both async-signal-safe, the table is lock-free atomics and
 * fixed-size buffers), then lets the signal's default action kill the
 * process (SA_RESETHAND, re-raised), so the exit status still says which
 * signal it was. The handler is installed on first use, only for a signal
 * whose action is the default: a program that ignores SIGHUP (nohup) or
 * handles SIGINT itself keeps doing so. A temporary the table has no room
 * for (more than TMP_SLOTS at once, a path over TMP_PATH bytes) is not
 * tracked, and only a signal can leave it behind. */
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "io_internal.h"

#define TMP_SLOTS 64
#define TMP_PATH 4096

enum { FREE, CLAIMED, LIVE };

static struct tmp_slot {
    atomic_int state;      /* FREE, CLAIMED (being filled) or LIVE */
    int dir;               /* rmdir, not unlink                    */
    uintptr_t owner;
    char path[TMP_PATH];
} tmp_slots[TMP_SLOTS];
static atomic_int tmp_installed;

static const int tmp_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void tmp_handler(int sig)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&tmp_slots[i].state) == LIVE && !tmp_slots[i].dir)
            unlink(tmp_slots[i].path);
    /* directories nest (parents, the sibling): innermost first, so
     * repeat while a pass removes one */
    for (int removed = 1; removed;) {
        removed = 0;
        for (int i = 0; i < TMP_SLOTS; i++)
            if (atomic_load(&tmp_slots[i].state) == LIVE &&
                tmp_slots[i].dir && rmdir(tmp_slots[i].path) == 0) {
                atomic_store(&tmp_slots[i].state, FREE);
                removed = 1;
            }
    }
    raise(sig); /* delivered on return, with the default action */
}

static void tmp_install(void)
{
    int expect = 0;
    if (!atomic_compare_exchange_strong(&tmp_installed, &expect, 1))
        return;
    for (size_t i = 0; i < sizeof tmp_signals / sizeof *tmp_signals; i++) {
        struct sigaction old, sa;
        if (sigaction(tmp_signals[i], NULL, &old) != 0 ||
            (old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = tmp_handler;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < sizeof tmp_signals / sizeof *tmp_signals; j++)
            sigaddset(&sa.sa_mask, tmp_signals[j]);
        sa.sa_flags = SA_RESETHAND;
        sigaction(tmp_signals[i], &sa, NULL);
    }
}

void io_tmp_track(const void *owner, const char *path, int dir)
{
    size_t n = strlen(path);
    if (n >= TMP_PATH)
        return;
    tmp_install();
    for (int i = 0; i < TMP_SLOTS; i++) /* already tracked: once is enough */
        if (atomic_load(&tmp_slots[i].state) == LIVE &&
            tmp_slots[i].owner == (uintptr_t)owner &&
            strcmp(tmp_slots[i].path, path) == 0)
            return;
    for (int i = 0; i < TMP_SLOTS; i++) {
        int expect = FREE;
        if (!atomic_compare_exchange_strong(&tmp_slots[i].state, &expect,
                                            CLAIMED))
            continue;
        memcpy(tmp_slots[i].path, path, n + 1);
        tmp_slots[i].dir = dir;
        tmp_slots[i].owner = (uintptr_t)owner;
        atomic_store(&tmp_slots[i].state, LIVE);
        return;
    }
}

void io_tmp_untrack(const void *owner)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&tmp_slots[i].state) == LIVE &&
            tmp_slots[i].owner == (uintptr_t)owner)
            atomic_store(&tmp_slots[i].state, FREE);
}
