! The Cityblock distance matrix in Fortran 90: the F2PY lab's kernel, called
! from Rust through bind(C). Given code: the lab is the Rust side
! (src/fortran.rs and src/precision.rs).
!
!   r(i,j) = sum_k |x(k,i) - y(k,j)|
!
! x(d,n) and y(d,m) are column-major: point i is the column x(:,i), whose d
! coordinates are contiguous. That is exactly a row-major (n, d) array seen
! transposed, so Rust passes its ndarray's pointer as it is, with no copy.
! r(n,m) is column-major too: Rust allocates it in Fortran order.
!
! bind(C) fixes each subroutine's symbol name and its C calling convention;
! `value` passes the sizes by value, as C ints (Fortran's default is by
! reference). Array offsets are computed in Fortran's index kind (64 bits),
! so n * m beyond the largest c_int does not overflow in here.
!
! The loops: j (parallel, OpenMP), i, then k innermost. k walks columns of x
! and y with stride 1, and consecutive i write consecutive entries of r's
! column j. (The original put i outermost, so its writes to r(i,j) jumped n
! entries apart.) tmp is PRIVATE: each thread has its own; see
! racy_cityblock.f90 for what happens without it.
module cityblock_kernels
    use iso_c_binding, only: c_int, c_float, c_double
    implicit none
contains

    ! ANCHOR: cityblock_f64
    subroutine cityblock_f64(x, y, r, n, m, d) bind(C, name="cityblock_f64")
        integer(c_int), value, intent(in) :: n, m, d
        real(c_double), intent(in) :: x(d, n), y(d, m)
        real(c_double), intent(out) :: r(n, m)
        integer :: i, j, k
        real(c_double) :: tmp

        !$OMP PARALLEL DO PRIVATE(tmp) SCHEDULE(STATIC)
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
    end subroutine cityblock_f64
    ! ANCHOR_END: cityblock_f64

    ! ANCHOR: cityblock_f32
    subroutine cityblock_f32(x, y, r, n, m, d) bind(C, name="cityblock_f32")
        integer(c_int), value, intent(in) :: n, m, d
        real(c_float), intent(in) :: x(d, n), y(d, m)
        real(c_float), intent(out) :: r(n, m)
        integer :: i, j, k
        real(c_float) :: tmp

        !$OMP PARALLEL DO PRIVATE(tmp) SCHEDULE(STATIC)
        do j = 1, m
            do i = 1, n
                tmp = 0.0_c_float
                do k = 1, d
                    tmp = tmp + abs(x(k, i) - y(k, j))
                end do
                r(i, j) = tmp
            end do
        end do
        !$OMP END PARALLEL DO
    end subroutine cityblock_f32
    ! ANCHOR_END: cityblock_f32

end module cityblock_kernels
