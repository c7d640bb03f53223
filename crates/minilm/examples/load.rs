fn main() {
    let bytes = std::fs::read("data/encoder/minilm-l6-v2.bin").unwrap();
    for k in [aligner_minilm::Kernel::Int8, aligner_minilm::Kernel::F32] {
        let t = std::time::Instant::now();
        let m = aligner_minilm::Model::from_bytes_with(&bytes, k).unwrap();
        println!("{:?} {:?}", m.kernel(), t.elapsed());
    }
}
