#!/usr/bin/env python3
"""Write the seed corpus of fuzz_api (tests/fuzz/corpus/seed-*) from readable scenarios.

The encoding mirrors fuzz_api.c: one opcode byte (modulo the op count), then the op's arguments.
Files named seed-* are rewritten on every run; other files in the corpus (inputs the fuzzer found
and we kept) are left alone.  Usage: python3 tests/fuzz/make_corpus.py
"""
import os
import random

OP = dict(CREATE_TEXTURE=0, CREATE_BUFFER=1, ADOPT=2, RETAIN=3, RELEASE=4, RELEASE_GC=5, RESOLVE=6, QUERY=7,
          QUERY_STATE=8, FRAME_BEGIN=9, FRAME_END=10, SIGNAL=11, COLLECT=12, SET_LABEL=13, GET_LABEL=14, MANY=15,
          REPORT=16, FOREIGN_CALL=17)
# Texture desc kinds (modulo 16): 0..11 valid, 12 zero width, 13 bad format, 14 bad usage, 15 too many mips.
# Buffer desc kinds (modulo 8): 0..5 valid, 6 bad size, 7 bad usage.


def label(text):
    if text is None:
        return [0]
    data = list(text.encode() if isinstance(text, str) else text)
    if len(data) >= 254:
        return [255] + data[:300] + [0x41] * (300 - len(data[:300]))
    return [len(data) + 1] + data


def real(i):
    return [0, i]


def random_bits(value):
    return [1] + list(value.to_bytes(8, "little"))


def forged(index, gen_byte, type_bits):
    return [2, index, gen_byte, type_bits]


def mutated(i, bit):
    return [3, i, bit]


def other(i):
    return [4, i]


ZERO = [5]


def tex(kind=0, w=3, h=3, fmt=0, mips=0, layers=0, usage=0, name=None):
    return [OP["CREATE_TEXTURE"], kind, w, h, fmt, mips, layers, usage] + label(name)


def buf(kind=0, size=100, usage=0, name=None):
    return [OP["CREATE_BUFFER"], kind, size & 0xFF, size >> 8, usage] + label(name)


def adopt_tex(kind=0, w=3, h=3, fmt=0, name=None):
    return [OP["ADOPT"], 1, kind, w, h, fmt, 0, 0, 0] + label(name)


def adopt_buf(kind=0, size=64, name=None):
    return [OP["ADOPT"], 0, kind, size & 0xFF, size >> 8, 0] + label(name)


def op(name, *args):
    out = [OP[name]]
    for a in args:
        out += a if isinstance(a, list) else [a]
    return out


def begin():
    return [OP["FRAME_BEGIN"]]


def end():
    return [OP["FRAME_END"]]


def signal(b=0):
    return [OP["SIGNAL"], b]


def collect():
    return [OP["COLLECT"]]


def seq(*parts):
    out = []
    for p in parts:
        out += p
    return out


def scenarios():
    s = {}
    s["empty"] = []
    s["create-and-report"] = seq(tex(), buf(), tex(w=64, h=17, fmt=6, mips=3, layers=2, name="t"), [OP["REPORT"]])
    s["frame-lifecycle"] = seq(begin(), tex(), op("RELEASE", real(1)), end(), collect(), op("QUERY_STATE", real(1)),
                               signal(0), collect(), op("QUERY_STATE", real(1)), op("RESOLVE", 0, real(1)))
    s["release-between-frames"] = seq(tex(), begin(), end(), op("RELEASE", real(1)), collect(), begin(), signal(0),
                                      collect(), end(), op("QUERY_STATE", real(1)))
    s["release-before-frames"] = seq(buf(), op("RELEASE", real(1)), op("QUERY", real(1)), collect(),
                                     op("QUERY", real(1)))
    s["later-frame-not-freed-early"] = seq(tex(), tex(), begin(), end(), begin(), op("RELEASE", real(2)), end(),
                                           signal(1), collect(), op("QUERY_STATE", real(2)), signal(0), collect())
    s["double-release"] = seq(tex(), op("RELEASE", real(1)), op("RELEASE", real(1)), op("RELEASE_GC", real(1)),
                              op("RETAIN", real(1)), collect(), op("RELEASE", real(1)))
    s["retain-release"] = seq(buf(), op("RETAIN", real(1)), op("RETAIN", real(1)), op("QUERY", real(1)),
                              op("RELEASE", real(1)), op("RELEASE_GC", real(1)), op("QUERY", real(1)),
                              op("RELEASE_GC", real(1)), op("QUERY", real(1)))
    s["gc-release-last"] = seq(begin(), tex(), op("RELEASE_GC", real(1)), op("QUERY", real(1)), [OP["REPORT"]], end())
    s["forged-zero"] = seq(tex(), op("RETAIN", ZERO), op("RESOLVE", 1, ZERO), op("QUERY", ZERO),
                           op("QUERY_STATE", ZERO))
    s["forged-random"] = seq(tex(), buf(), op("RETAIN", random_bits(0xDEADBEEFCAFEBABE)),
                             op("RELEASE", random_bits(0x0010000100000001)), op("RESOLVE", 2, random_bits(1 << 52)))
    s["forged-ours"] = seq(tex(), buf(), op("RETAIN", forged(0, 2, 1)), op("RETAIN", forged(1, 1, 1)),
                           op("RESOLVE", 1, forged(1, 1, 2)), op("RESOLVE", 2, forged(0, 1, 1)),
                           op("RELEASE", forged(5, 1, 1)), op("QUERY", forged(0, 0x80, 1)),
                           op("QUERY_STATE", forged(2, 1, 3)), op("RELEASE", forged(0, 0, 0)))
    s["mutated"] = seq(tex(), buf(), *[op("RESOLVE", i % 3, mutated(i % 3, i * 7 % 64)) for i in range(20)])
    s["foreign"] = seq(tex(), op("RETAIN", other(0)), op("RELEASE", other(1)), op("RESOLVE", 0, other(0)),
                       op("QUERY_STATE", other(1)), [OP["FOREIGN_CALL"], 0], [OP["FOREIGN_CALL"], 1])
    s["wrong-type"] = seq(tex(), buf(), op("RESOLVE", 2, real(1)), op("RESOLVE", 1, real(2)),
                          op("RESOLVE", 0, real(1)))
    s["stale-after-reuse"] = seq(buf(), op("RELEASE", real(1)), collect(), buf(), op("RESOLVE", 0, real(1)),
                                 op("RETAIN", real(1)), op("RESOLVE", 0, real(2)), op("QUERY_STATE", real(1)))
    s["fifo-reuse"] = seq(buf(), buf(), buf(), buf(), *[op("RELEASE", real(i)) for i in range(1, 5)], collect(),
                          buf(), op("RELEASE", real(5)), buf(), buf(), buf(), buf(), buf())
    s["labels"] = seq(tex(name="plain"), buf(name="quote \" back \\ nl \n ctl \x01"), tex(name=""),
                      tex(name="x" * 300), op("SET_LABEL", real(1), label("renamed")), op("GET_LABEL", real(1), 1),
                      op("SET_LABEL", real(2), label(None)), op("GET_LABEL", real(2), 1),
                      op("GET_LABEL", real(4), 1), op("GET_LABEL", real(4), 0), op("SET_LABEL", real(9), label("no")),
                      op("SET_LABEL", real(3), label(b"nul\x00inside")), op("GET_LABEL", real(3), 1), [OP["REPORT"]])
    s["label-released"] = seq(begin(), tex(name="keep"), op("RELEASE", real(1)), op("GET_LABEL", real(1), 1),
                              op("SET_LABEL", real(1), label("late")), end())
    s["many"] = seq(tex(), buf(), op("MANY", 1 | (3 << 1), real(1), real(2), ZERO, real(1)),
                    op("MANY", 0 | (3 << 1), real(1), real(1), real(1), real(2)), op("MANY", 0, real(2)),
                    op("MANY", 0, real(2)))
    s["invalid-textures"] = seq(tex(kind=12), tex(kind=13), tex(kind=13 | 0x10), tex(kind=14), tex(kind=15),
                                tex(fmt=7, usage=0x3F), tex(fmt=8, usage=0x3F))
    s["invalid-buffers"] = seq(buf(kind=6), buf(kind=6 | 0x10), buf(kind=7), buf(size=0xFFFF, usage=0x7F))
    s["frame-state"] = seq(end(), begin(), begin(), end(), end(), begin(), end())
    s["signals"] = seq(signal(0x80), signal(0x81), begin(), signal(0x80), end(), signal(0x80), signal(0),
                       signal(1), signal(2), begin(), end(), signal(1), signal(0))
    s["adopted"] = seq(adopt_tex(name="engine tex"), adopt_buf(), begin(), op("RELEASE", real(1)), end(),
                       op("RELEASE", real(2)), collect(), signal(0), collect(), adopt_buf(kind=6), adopt_tex(kind=14))
    s["leaks-at-destroy"] = seq(tex(), buf(), adopt_tex(), op("RETAIN", real(2)), begin(), op("RELEASE", real(3)))
    s["many-frames"] = seq(*[seq(begin(), buf(), op("RELEASE", real(i)), end(), signal(1 if i % 3 else 0),
                                 collect()) for i in range(1, 30)])
    s["churn"] = seq(*[seq(tex(), op("RELEASE", real(i)), op("RESOLVE", 0, real(i)), op("RESOLVE", 0, real(i - 1)))
                       for i in range(1, 40)])
    s["report-with-pending"] = seq(tex(name="a"), buf(name="b"), begin(), op("RELEASE_GC", real(2)), end(),
                                   [OP["REPORT"]], signal(0), collect(), [OP["REPORT"]])
    return s


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(here, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for name in os.listdir(corpus):
        if name.startswith("seed-"):
            os.remove(os.path.join(corpus, name))
    count = 0
    for name, data in scenarios().items():
        with open(os.path.join(corpus, "seed-" + name), "wb") as f:
            f.write(bytes(b & 0xFF for b in data))
        count += 1
    rng = random.Random(20240601)
    for i in range(12):
        size = rng.choice([16, 64, 256, 1024])
        with open(os.path.join(corpus, "seed-random-%02d" % i), "wb") as f:
            f.write(bytes(rng.randrange(256) for _ in range(size)))
        count += 1
    print("wrote %d seed files to %s" % (count, corpus))


if __name__ == "__main__":
    main()
