// usergdt.h: the segments of ring 3 (usergdt.c).
#pragma once

void user_segments_init(void);
