#!/bin/bash
# ClusterFuzzLite / OSS-Fuzz build script (docs/fuzzing-oss.md).
#
# Builds every libFuzzer target of fuzz/meson.build into $OUT/<name>, with its
# seed corpus ($OUT/<name>_seed_corpus.zip), options ($OUT/<name>.options)
# and, for the netlink targets, dictionary ($OUT/<name>.dict).
#
# Environment (OSS-Fuzz conventions; defaults make it usable outside Docker):
#   CXX, CXXFLAGS, LIB_FUZZING_ENGINE   compiler, flags, fuzzing engine
#   OUT                                 output directory (default build/cflite-out)
#   SRC                                 where the sources are: $SRC/netkit-model
#                                       (the Docker image) or $SRC itself;
#                                       default: this script's repository
#   NETKIT_BUILD_JOBS                   parallel compiles (default: nproc)
#   NETKIT_ZIP                          the zip program (default zip; if it is
#                                       missing, python3's zipfile is used)
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --- where the repository is -------------------------------------------------
if [[ -z "${SRC:-}" ]]; then
    SRC=$(cd "${script_dir}/.." && pwd)
fi
repo=""
for candidate in "${NETKIT_SRC:-}" "${SRC}/netkit-model" "${SRC}" "${PWD}" "${script_dir}/.."; do
    if [[ -n "${candidate}" && -f "${candidate}/fuzz/meson.build" ]]; then
        repo=$(cd "${candidate}" && pwd)
        break
    fi
done
if [[ -z "${repo}" ]]; then
    echo "build.sh: cannot find the netkit-model sources (fuzz/meson.build) under SRC=${SRC}" >&2
    exit 1
fi

CXX=${CXX:-clang++}
CXXFLAGS=${CXXFLAGS:-}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
OUT=${OUT:-${repo}/build/cflite-out}
jobs=${NETKIT_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
if ! [[ "${jobs}" =~ ^[1-9][0-9]*$ ]]; then
    echo "build.sh: NETKIT_BUILD_JOBS must be a positive integer, not '${jobs}'" >&2
    exit 1
fi
mkdir -p "${OUT}"
OUT=$(cd "${OUT}" && pwd)

# libFuzzer options shared by every target. max_len: the 4096 bytes libFuzzer
# picks by itself for the bounded runs of fuzz/run_libfuzzer.py (no corpus
# file is larger); timeout: the -timeout=10 of those runs.
max_len=4096
timeout=10

# --- the target list: the keys of the fuzz_targets dict in fuzz/meson.build ---
# e.g.   'fsm_step': files('fsm_step.cpp'),
targets=()
while IFS= read -r name; do
    if [[ -n "${name}" ]]; then targets+=("${name}"); fi
done < <(sed -n "/^fuzz_targets[[:space:]]*=[[:space:]]*{/,/^}/p" "${repo}/fuzz/meson.build" |
         sed -n "s/^[[:space:]]*'\([A-Za-z0-9_]\{1,\}\)'[[:space:]]*:.*/\1/p")
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "build.sh: ERROR: no fuzz targets found in the fuzz_targets dict of ${repo}/fuzz/meson.build" >&2
    echo "build.sh: (expected lines like   'name': files('name.cpp'),  between 'fuzz_targets = {' and '}')" >&2
    exit 1
fi
for name in "${targets[@]}"; do
    if [[ ! -f "${repo}/fuzz/${name}.cpp" ]]; then
        echo "build.sh: ERROR: fuzz/meson.build names '${name}' but fuzz/${name}.cpp does not exist" >&2
        exit 1
    fi
done
echo "build.sh: ${#targets[@]} targets (${targets[*]}), ${jobs} parallel compiles, OUT=${OUT}"

# --- compile, up to $jobs at a time ------------------------------------------
logs=$(mktemp -d "${TMPDIR:-/tmp}/netkit-cflite-build.XXXXXX")
trap 'rm -rf "${logs}"' EXIT

compile() {
    local name=$1 start=${SECONDS}
    # CXXFLAGS and LIB_FUZZING_ENGINE are lists of flags: split on purpose.
    # shellcheck disable=SC2086
    if (cd "${repo}" && ${CXX} ${CXXFLAGS} -std=c++20 -I include -I props -DNETKIT_LIBFUZZER \
            "fuzz/${name}.cpp" -o "${OUT}/${name}" ${LIB_FUZZING_ENGINE}) >"${logs}/${name}.log" 2>&1; then
        echo "build.sh: built ${name} ($((SECONDS - start)) s)"
    else
        touch "${logs}/${name}.failed"
        echo "build.sh: FAILED to build ${name}; compiler output:" >&2
        cat "${logs}/${name}.log" >&2
    fi
}

running=0
for name in "${targets[@]}"; do
    if [[ ${running} -ge ${jobs} ]]; then
        wait -n || true  # compile records its own failure
        running=$((running - 1))
    fi
    compile "${name}" &
    running=$((running + 1))
done
wait

failed=()
for name in "${targets[@]}"; do
    if [[ -e "${logs}/${name}.failed" ]]; then failed+=("${name}"); fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "build.sh: ERROR: ${#failed[@]} of ${#targets[@]} targets failed to build: ${failed[*]}" >&2
    exit 1
fi

# --- seed corpora, dictionaries, options --------------------------------------
zip_dir() {  # zip_dir ARCHIVE DIR: the regular files of DIR, flat
    local archive=$1 dir=$2 zip_program=${NETKIT_ZIP:-zip}
    rm -f "${archive}"
    if command -v "${zip_program}" >/dev/null 2>&1; then
        find "${dir}" -maxdepth 1 -type f -print0 | sort -z |
            xargs -0 "${zip_program}" -q -j "${archive}"
    else
        python3 - "${archive}" "${dir}" <<'PYTHON'
import os
import sys
import zipfile

archive, directory = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            out.write(path, arcname=name)
PYTHON
    fi
}

for name in "${targets[@]}"; do
    # As in fuzz/meson.build: the netlink_* targets share corpus/netlink and
    # the netlink dictionary.
    case "${name}" in
        netlink*) corpus="${repo}/fuzz/corpus/netlink" dict="${repo}/fuzz/netlink.dict" ;;
        *) corpus="${repo}/fuzz/corpus/${name}" dict="${repo}/fuzz/${name}.dict" ;;
    esac

    if [[ -d "${corpus}" ]] && [[ -n "$(find "${corpus}" -maxdepth 1 -type f -print -quit)" ]]; then
        zip_dir "${OUT}/${name}_seed_corpus.zip" "${corpus}"
    else
        echo "build.sh: warning: no seed corpus for ${name} (${corpus})" >&2
        rm -f "${OUT}/${name}_seed_corpus.zip"
    fi

    {
        echo "[libfuzzer]"
        echo "max_len = ${max_len}"
        echo "timeout = ${timeout}"
        # The target's own options (fuzz/<name>.options): its [libfuzzer] keys.
        if [[ -f "${repo}/fuzz/${name}.options" ]]; then
            sed -n '/^\[libfuzzer\]/,/^\[/{/^\[/d;/^[[:space:]]*#/d;/^[[:space:]]*$/d;p}' "${repo}/fuzz/${name}.options"
        fi
        if [[ -f "${dict}" ]]; then
            cp "${dict}" "${OUT}/${name}.dict"
            echo "dict = ${name}.dict"
        else
            rm -f "${OUT}/${name}.dict"
        fi
    } >"${OUT}/${name}.options"
done

echo "build.sh: done: ${#targets[@]} targets in ${OUT}"
