; restart.asm: the one kernel stack, thrown away and started again.
;
; sched_restart: the running continuation has ended (returned, exited, was
; killed) and whatever the kernel was doing for it is over, so nothing on
; the stack is needed any more. Reset rsp to the top of the one kernel
; stack (userentry.asm) and enter the dispatcher, which never returns.
; This is what makes a blocked program cost no stack: the kernel never
; returns into a frame it left.

bits 64
section .text
extern user_kstack_top, sched_loop

global sched_restart
sched_restart:
    lea rsp, [rel user_kstack_top]
    xor ebp, ebp                         ; a backtrace ends here
    call sched_loop                      ; never returns
    ud2
