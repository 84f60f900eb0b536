// pic.h: the two 8259A interrupt controllers.
#pragma once
#include <stdbool.h>
#include <stdint.h>

void pic_init(void);
void pic_unmask(int irq);
uint16_t pic_get_mask(void);  // bit n set: IRQ n masked
bool pic_is_spurious(int irq);
void pic_end_of_interrupt(int irq);
