#include "output/file_system.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace schemactl {

namespace fs = std::filesystem;

FileError::FileError(std::string action, fs::path path, int error_number)
    : Error("cannot " + action + " '" + path.string() + "': " + std::strerror(error_number), ExitCode::error,
            ErrorContext{path.string(), 0, 0, {}, {}}),
      action_(std::move(action)),
      path_(std::move(path)),
      errno_(error_number) {}

namespace {

class RealFileSystem : public FileSystem {
 public:
  FileKind kind(const fs::path& path) override {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return FileKind::none;  // ENOTDIR: a parent is a file
      throw FileError("inspect", path, errno);
    }
    if (S_ISDIR(st.st_mode)) return FileKind::directory;
    if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) return FileKind::file;
    return FileKind::other;
  }

  void create_file(const fs::path& path, const std::string& content) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) throw FileError("write", path, errno);
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
      ssize_t n = ::write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(fd, "write", path);
      data += n;
      left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail(fd, "flush", path);
    if (::close(fd) != 0) throw FileError("write", path, errno);
  }

  void make_directory(const fs::path& path) override {
    if (::mkdir(path.c_str(), 0777) != 0) throw FileError("create directory", path, errno);
  }

  void link(const fs::path& existing, const fs::path& new_name) override {
    if (::link(existing.c_str(), new_name.c_str()) != 0) throw FileError("back up", existing, errno);
  }

  void rename(const fs::path& from, const fs::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) throw FileError("move into place", to, errno);
  }

  void remove_file(const fs::path& path) override {
    if (::unlink(path.c_str()) != 0) throw FileError("remove", path, errno);
  }

  void remove_directory(const fs::path& path) override {
    if (::rmdir(path.c_str()) != 0) throw FileError("remove directory", path, errno);
  }

  void sync_directory(const fs::path& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw FileError("open directory", path, errno);
    if (::fsync(fd) != 0) fail(fd, "flush directory", path);
    ::close(fd);
  }
  std::vector<std::string> list_directory(const fs::path& path) override {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
      names.push_back(it->path().filename().string());
    return names;
  }

 private:
  [[noreturn]] static void fail(int fd, const char* action, const fs::path& path) {
    int err = errno;
    ::close(fd);
    throw FileError(action, path, err);
  }
};

}  // namespace

FileSystem& real_file_system() {
  static RealFileSystem instance;
  return instance;
}

}  // namespace schemactl
