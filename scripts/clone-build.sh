#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# clone-build.sh <from> <to>: copy the build directory <from> (an O= tree) to
# <to> so that "make O=<to>" rebuilds only what differs.  The saved commands
# and dependency lists (.*.cmd) name their objects by absolute path; they are
# rewritten to the new directory, and cp -p keeps every timestamp.
# make check builds its variants that share most of a configuration this way.
set -e
from=$(cd "$1" && pwd)
to=$2
rm -rf "$to"
mkdir -p "$(dirname "$to")"
cp -a "$from" "$to"
to=$(cd "$to" && pwd)
find "$to" -name '.*.cmd' -exec sed -i "s|$from/|$to/|g" {} +
