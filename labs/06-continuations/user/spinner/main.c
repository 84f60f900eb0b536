// spinner: a continuation that never returns. The time budget kills it.
int main(void) {
    for (;;)
        __asm__ volatile("" ::: "memory");
}
