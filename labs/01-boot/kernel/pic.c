// pic.c: the 8259A programmable interrupt controllers (master and slave).
//
// At power-on the PIC delivers IRQ 0-7 as vectors 8-15, which collide with
// CPU exceptions (8 is the double fault). pic_init() remaps IRQ 0-15 to
// vectors 32-47 and masks every line; drivers unmask the lines they use.
// The PIC can also raise a "spurious" IRQ 7 or 15 when a request vanishes
// before it is acknowledged: its in-service bit is then clear, and it must
// not be acknowledged (for 15, the master still needs its end-of-interrupt,
// since the cascade line did fire).
#include "pic.h"
#include "trap.h"
#include "x86.h"

#define MASTER_CMD  0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD   0xA0
#define SLAVE_DATA  0xA1
#define CASCADE_IRQ 2  // the slave is wired to the master's IRQ 2

#define ICW1_INIT_ICW4 0x11  // start initialisation, ICW4 follows
#define ICW4_8086      0x01
#define OCW3_READ_ISR  0x0B
#define CMD_EOI        0x20

static uint16_t mask = 0xFFFF;

static void write_mask(void) {
    outb(MASTER_DATA, mask & 0xFF);
    outb(SLAVE_DATA, mask >> 8);
}

// The PIC needs a moment between initialisation words on old hardware.
static void pic_write(uint16_t port, uint8_t value) {
    outb(port, value);
    io_wait();
}

void pic_init(void) {
    pic_write(MASTER_CMD, ICW1_INIT_ICW4);
    pic_write(SLAVE_CMD, ICW1_INIT_ICW4);
    pic_write(MASTER_DATA, IRQ_BASE);  // ICW2: vector offsets
    pic_write(SLAVE_DATA, IRQ_BASE + 8);
    pic_write(MASTER_DATA, 1 << CASCADE_IRQ);  // ICW3: the wiring
    pic_write(SLAVE_DATA, CASCADE_IRQ);
    pic_write(MASTER_DATA, ICW4_8086);
    pic_write(SLAVE_DATA, ICW4_8086);
    mask = 0xFFFF & ~(1 << CASCADE_IRQ);
    write_mask();
}

void pic_unmask(int irq) {
    mask &= ~(1u << irq);
    write_mask();
}

uint16_t pic_get_mask(void) { return inb(MASTER_DATA) | (uint16_t)inb(SLAVE_DATA) << 8; }

static uint8_t in_service(uint16_t cmd_port) {
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port);
}

bool pic_is_spurious(int irq) {
    // LAB 1: BEGIN SOLUTION
    if (irq == 7 && !(in_service(MASTER_CMD) & 0x80))
        return true;
    if (irq == 15 && !(in_service(SLAVE_CMD) & 0x80)) {
        outb(MASTER_CMD, CMD_EOI);
        return true;
    }
    return false;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)irq, (void)in_service;
    // LAB 1: STUB return false;   /* lab 1: pic_is_spurious not written yet */
}

void pic_end_of_interrupt(int irq) {
    // LAB 1: BEGIN SOLUTION
    if (irq >= 8)
        outb(SLAVE_CMD, CMD_EOI);
    outb(MASTER_CMD, CMD_EOI);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)irq;   /* lab 1: the master alone: IRQs 8-15 are never acknowledged yet */
    // LAB 1: STUB outb(MASTER_CMD, CMD_EOI);
}
