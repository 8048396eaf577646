# The session scripts/check-gdb.py runs (gdb -batch, after
# `target remote` and `source scripts/gdb/exo-gdb.py`), while it types
# dmesg, ps, buddyinfo, insmod edu, rmmod edu and lsmod on the serial
# console.
# Documentation/debugging.rst walks through the same steps.
set pagination off
set confirm off
set breakpoint pending on
lx-symbols
break cmd_dmesg
break cmd_ps
break cmd_buddyinfo
# No module is loaded yet: pending until lx-symbols loads edu.ko.
break edu_probe
continue
echo @@lx-dmesg\n
lx-dmesg
echo @@end\n
continue
echo @@lx-ps\n
lx-ps
echo @@end\n
continue
echo @@lx-buddyinfo\n
lx-buddyinfo
echo @@end\n
echo @@insmod\n
continue
echo @@info-symbol\n
info symbol $pc
echo @@end\n
# Data: placed by add-symbol-file's -s arguments, not by .text's address.
echo @@info-symbol-data\n
info symbol &edu_driver
echo @@end\n
echo @@lx-lsmod\n
lx-lsmod
echo @@end\n
echo @@lx-pte\n
lx-pte &log_buf
echo @@end\n
echo @@lx-pte-init-mm\n
lx-pte &log_buf &init_mm
echo @@end\n
echo @@lx-per-cpu\n
lx-per-cpu current_task 0
echo @@end\n
echo @@lx-per-cpu-1\n
lx-per-cpu current_task 1
echo @@end\n
echo @@lx-cpus\n
lx-cpus
echo @@end\n
echo @@lx-slabinfo\n
lx-slabinfo
echo @@end\n
# rmmod edu: free_module() drops edu.ko's symbols before lsmod runs.
delete
break cmd_lsmod
continue
echo @@after-rmmod\n
python print("edu_probe:", gdb.lookup_static_symbol("edu_probe"))
lx-lsmod
echo @@end\n
detach
