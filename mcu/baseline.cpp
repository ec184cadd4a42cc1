// The smallest program: startup code and semihosting only. Size figures are measured above it.
int main() {
    return 0;
}
