/* rtl_port.h: bit fields of Verilated ports of any width. Verilator gives a
 * port of up to 64 bits as an unsigned integer and a wider one as
 * VlWide<words> (32-bit words, LSB first); these helpers read and write a
 * field of up to 64 bits at any bit offset in either, so harness code does
 * not depend on the array size. */
#ifndef SA35_RTL_PORT_H
#define SA35_RTL_PORT_H

#include <cstddef>
#include <cstdint>

#include "verilated.h"

static inline uint64_t rtl_mask(unsigned w)
{
    return w >= 64 ? ~0ull : (1ull << w) - 1;
}

template <class T>
static inline void port_set(T &p, unsigned lsb, unsigned w, uint64_t v)
{
    uint64_t m = rtl_mask(w) << lsb;
    p = (T)(((uint64_t)p & ~m) | ((v << lsb) & m));
}

template <class T>
static inline uint64_t port_get(const T &p, unsigned lsb, unsigned w)
{
    return ((uint64_t)p >> lsb) & rtl_mask(w);
}

template <std::size_t N>
static inline void port_set(VlWide<N> &p, unsigned lsb, unsigned w,
                            uint64_t v)
{
    while (w) {
        unsigned i = lsb / 32, sh = lsb % 32;
        unsigned n = w < 32 - sh ? w : 32 - sh;
        uint32_t m = (uint32_t)rtl_mask(n) << sh;
        p[i] = (p[i] & ~m) | (((uint32_t)v << sh) & m);
        v >>= n;
        lsb += n;
        w -= n;
    }
}

template <std::size_t N>
static inline uint64_t port_get(const VlWide<N> &p, unsigned lsb, unsigned w)
{
    uint64_t v = 0;
    unsigned got = 0;
    while (got < w) {
        unsigned i = lsb / 32, sh = lsb % 32;
        unsigned n = w - got < 32 - sh ? w - got : 32 - sh;
        v |= (uint64_t)((p[i] >> sh) & (uint32_t)rtl_mask(n)) << got;
        got += n;
        lsb += n;
    }
    return v;
}

/* A field read as a two's complement number of w bits. */
template <class T>
static inline int64_t port_get_signed(const T &p, unsigned lsb, unsigned w)
{
    uint64_t v = port_get(p, lsb, w);
    uint64_t sign = 1ull << (w - 1);
    return (int64_t)(v ^ sign) - (int64_t)sign;
}

#endif
