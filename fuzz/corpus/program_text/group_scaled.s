dma.ld dram=0x0 sram=0x100 bytes=53
ldw.gs sram=0x100 rows=3 cols=8
dma.ld dram=0x1000 sram=0x0 bytes=64
mm.first.last.swap.gs sram=0x0 stride=8 m=4 acc=0
scl sa=0x200 s=0x210 z=0x230
out.fp.scale sram=0x300 stride=32 rows=4 cols=8 acc=0
sync
dma.st dram=0x2000 sram=0x300 bytes=128
