! SPOT THE BUG. This is cityblock_f64 of cityblock.f90 as the course's 2019
! F2PY lab wrote it: it compiles without a warning, gives the right answer on
! one thread, and passes every test that runs it serially. Compare the two
! files line by line. (The book's Exercise 2, "Spot the bug", says how often
! it goes wrong on 2 threads; `cargo xtask hint ffi fortran 3` gives a nudge.)
module racy_cityblock_kernels
    use iso_c_binding, only: c_int, c_double
    implicit none
contains

    ! ANCHOR: racy_cityblock_f64
    subroutine racy_cityblock_f64(x, y, r, n, m, d) bind(C, name="racy_cityblock_f64")
        integer(c_int), value, intent(in) :: n, m, d
        real(c_double), intent(in) :: x(d, n), y(d, m)
        real(c_double), intent(out) :: r(n, m)
        integer :: i, j, k
        real(c_double) :: tmp

        !$OMP PARALLEL DO SCHEDULE(STATIC)
        do j = 1, m
            do i = 1, n
                tmp = 0.0_c_double
                do k = 1, d
                    tmp = tmp + abs(x(k, i) - y(k, j))
                end do
                r(i, j) = tmp
            end do
        end do
        !$OMP END PARALLEL DO
    end subroutine racy_cityblock_f64
    ! ANCHOR_END: racy_cityblock_f64

end module racy_cityblock_kernels
