use super::*;

const DEBIAN: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n";
const UBUNTU: &str = "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n";
const MINT: &str = "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n";
const FEDORA: &str = "NAME=\"Fedora Linux\"\nID=fedora\n";
const ROCKY: &str = "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n";
const ARCH: &str = "NAME=\"Arch Linux\"\nID=arch\n";
const WSL_KERNEL: &str = "5.15.167.4-microsoft-standard-WSL2\n";
const PLAIN_KERNEL: &str = "6.1.0-28-amd64\n";

#[test]
fn linux_distributions_are_told_by_their_family() {
    for (os_release, platform) in [
        (DEBIAN, Platform::Debian),
        (UBUNTU, Platform::Debian),
        (MINT, Platform::Debian),
        (FEDORA, Platform::Fedora),
        (ROCKY, Platform::Fedora),
        (ARCH, Platform::Other),
    ] {
        assert_eq!(
            Platform::of_linux(Some(os_release), Some(PLAIN_KERNEL)),
            platform,
            "{os_release}"
        );
    }
    assert_eq!(Platform::of_linux(None, None), Platform::Other);
    assert_eq!(
        Platform::of_linux(None, Some(PLAIN_KERNEL)),
        Platform::Other
    );
}

#[test]
fn wsl_is_told_by_its_kernel_and_keeps_a_distribution_of_its_user_s_choice() {
    assert_eq!(
        Platform::of_linux(Some(UBUNTU), Some(WSL_KERNEL)),
        Platform::Wsl
    );
    // /proc/version, the fallback, says "Microsoft" on WSL 1.
    let wsl1 = "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com)";
    assert_eq!(Platform::of_linux(Some(UBUNTU), Some(wsl1)), Platform::Wsl);
    assert_eq!(Platform::of_linux(None, Some(WSL_KERNEL)), Platform::Wsl);
    assert_eq!(
        Platform::of_linux(Some(FEDORA), Some(WSL_KERNEL)),
        Platform::Fedora
    );
    assert_eq!(
        Platform::of_linux(Some(ARCH), Some(WSL_KERNEL)),
        Platform::Other
    );
    assert_eq!(Platform::Wsl.manager(), Some(Manager::Apt));
}

#[test]
fn each_platform_gets_its_own_manager_s_command() {
    assert_eq!(
        Tool::Gfortran.install(Platform::Debian),
        "Debian/Ubuntu: `sudo apt-get install gfortran`"
    );
    assert_eq!(
        Tool::Gfortran.install(Platform::Wsl),
        "Ubuntu on WSL: `sudo apt-get install gfortran`"
    );
    assert_eq!(
        Tool::Gfortran.install(Platform::Fedora),
        "Fedora/RHEL: `sudo dnf install gcc-gfortran`"
    );
    assert_eq!(
        Tool::Gfortran.install(Platform::MacOs),
        "macOS with Homebrew: `brew install gcc`, whose gcc brings gfortran"
    );
    assert_eq!(
        Tool::OpenMpi.install(Platform::Debian),
        "Debian/Ubuntu: `sudo apt-get install libopenmpi-dev openmpi-bin libclang-dev`"
    );
    assert_eq!(
        Tool::OpenMpi.install(Platform::Fedora),
        "Fedora/RHEL: `sudo dnf install openmpi-devel clang-devel`, then `module load \
         mpi/openmpi-$(uname -m)` to put mpicc on PATH"
    );
    assert_eq!(
        Tool::OpenMp.install(Platform::MacOs),
        "macOS with Homebrew: `brew install libomp`"
    );
}

#[test]
fn an_unknown_system_gets_every_manager_s_command() {
    for tool in Tool::ALL {
        let advice = tool.install(Platform::Other);
        for manager in Manager::ALL {
            let command = manager.command(tool.packages(manager));
            assert!(
                advice.contains(&command),
                "{tool}: no `{command}` in {advice}"
            );
        }
    }
}

#[test]
fn every_tool_has_packages_for_every_manager() {
    for tool in Tool::ALL {
        for manager in Manager::ALL {
            assert!(
                !tool.packages(manager).is_empty(),
                "{tool} with {manager:?}"
            );
        }
    }
}

#[test]
fn tools_are_named_as_lab_toml_names_them_and_an_unknown_name_lists_them() {
    for tool in Tool::ALL {
        assert_eq!(tool.name().parse::<Tool>(), Ok(tool));
    }
    let error = "fortran".parse::<Tool>().expect_err("not a tool's name");
    assert_eq!(error, UnknownTool("fortran".into()));
    let message = error.to_string();
    assert!(
        message.contains("`fortran`") && message.contains("gfortran, openmp, open-mpi"),
        "{message}"
    );
}

#[test]
fn a_venv_install_makes_python_s_venv_available_then_fills_the_repository_s_venv() {
    let requirements = "exercises/05-gpu/requirements.txt";
    let pip = "from the repository's root, `python3 -m venv .venv && .venv/bin/pip install -r \
               exercises/05-gpu/requirements.txt`";
    assert_eq!(
        venv_install(requirements, Platform::Debian),
        format!("Debian/Ubuntu: `sudo apt-get install python3-venv`, then {pip}")
    );
    assert_eq!(
        venv_install(requirements, Platform::MacOs),
        format!("macOS with Homebrew: `brew install python`, then {pip}")
    );
    let other = venv_install(requirements, Platform::Other);
    assert!(
        other.contains("`sudo dnf install python3`") && other.ends_with(&pip),
        "{other}"
    );
}
