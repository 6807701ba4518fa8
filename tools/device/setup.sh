#!/usr/bin/env bash
# On the lent GPU machine (see make-bundle.sh): Vulkan loader, node, node_modules and dist from .devbundle.
set -e
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
unxz() { python3 -c "import lzma,sys,shutil; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'), 1<<20)" "$1" "$2"; }
unxz .devbundle/node.xz /usr/local/bin/node; chmod +x /usr/local/bin/node
unxz .devbundle/nm.tar.xz /tmp/nm.tar; tar xf /tmp/nm.tar; rm /tmp/nm.tar
unxz .devbundle/dist.tar.xz /tmp/dist.tar; tar xf /tmp/dist.tar; rm /tmp/dist.tar
node --version; nvidia-smi -L; nproc
