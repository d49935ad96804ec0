"""The person's story bank: their own work stories, which principles each shows, which answer told
which story, and where the 16 Leadership Principles still lack one."""
